import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readParquetTable } from '@campaigns/core';
import { generateDemoData, SEED_BLACKLISTS } from '@campaigns/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenFor } from '../testing/api-token';
import { bearerRequest, json, signedInBrowser } from '../testing/http-client';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

// Issue 12 item 13: a campaign starts from the whole client base (the registry's client list), as the seed's
// query builder did, and the five filters and contact pressure narrow it: "all MAU iOS clients holding a credit
// card, minus the blacklists".

/** The distinct IINs of a demo parquet file (optionally only rows whose value column is one of `values`). */
async function iinsIn(dataDir: string, file: string, value?: { column: string; values: string[] }) {
  const table = readParquetTable(new Uint8Array(await readFile(path.join(dataDir, file))));
  const iins = table.getChild('iin') ?? table.getChild('IIN')!;
  const values = value ? table.getChild(value.column)! : null;
  const out = new Set<string>();
  for (let i = 0; i < table.numRows; i++) {
    if (values && !value!.values.includes(String(values.get(i)))) continue;
    out.add(String(iins.get(i)).padStart(12, '0'));
  }
  return out;
}

const blacklistFiles = [
  'blacklist_acrm.parquet',
  'blacklist_dim_clients.parquet',
  'blacklist_no_worker.parquet',
];
const query = {
  blacklist_tables: [...SEED_BLACKLISTS],
  devices: ['iOS'],
  mau_only: true,
  products: ['Кредитная карта'],
};

describe('audience source "all clients"', () => {
  let server: TestServer;
  let dataDir: string;
  let everyone: Set<string>;
  /** Naive reference for `query`: Sets over the files, row by row. */
  let expected: { afterBlacklist: number; final: number };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'api-all-clients-'));
    await generateDemoData({ dataDir, clients: 3_000 });
    server = await startTestServer({ dataDir });
    everyone = await iinsIn(dataDir, 'clients.parquet');
    const blacklisted = new Set<string>();
    for (const file of blacklistFiles) for (const iin of await iinsIn(dataDir, file)) blacklisted.add(iin);
    const ios = await iinsIn(dataDir, 'devices.parquet', { column: 'device', values: ['iOS'] });
    const mau = await iinsIn(dataDir, 'mau.parquet');
    const card = await iinsIn(dataDir, 'products.parquet', {
      column: 'product',
      values: ['Кредитная карта'],
    });
    const kept = [...everyone].filter((iin) => !blacklisted.has(iin));
    expected = {
      afterBlacklist: kept.length,
      final: kept.filter((iin) => ios.has(iin) && mau.has(iin) && card.has(iin)).length,
    };
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the client base and its size before any filter, every dataset named in en, ru and kk', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    const list = (await json(await marketer.trpcQuery('datasets.list', { load: ['client'] }))).result.data;
    const clients = list.find((d: { kind: string }) => d.kind === 'client');
    expect(clients).toMatchObject({
      name: 'clients',
      status: 'loaded',
      distinct_iins: everyone.size,
      label: { en: 'All clients', ru: 'Все клиенты', kk: 'Барлық клиенттер' },
    });
    for (const d of list) expect(Object.keys(d.label ?? {}).sort(), d.name).toEqual(['en', 'kk', 'ru']);
  });

  it('filters the whole base like the query builder: MAU iOS credit-card holders minus the blacklists', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    const preview = await json(
      await marketer.trpc('audiences.preview', { all_clients: true, filter_config: query }),
    );
    expect(preview.result.data.filter_stats).toMatchObject({
      initial_count: everyone.size,
      after_blacklist: expected.afterBlacklist,
      final_count: expected.final,
    });
    expect(expected.final).toBeGreaterThan(0);

    // The create computes the same audience from the same source: the saved draft shows the preview's funnel.
    const { user_iins: _list, ...request } = seedCreateRequest();
    const created = await json(
      await marketer.trpc('campaigns.create', { ...request, all_clients: true, filter_config: query }),
    );
    expect(created.result.data.campaign.filter_stats).toEqual(preview.result.data.filter_stats);
  });

  it('is taken by the REST create too, with exactly one audience source', async () => {
    const token = await apiTokenFor(server, 'marketer');
    const { user_iins: list, ...request } = seedCreateRequest();
    const created = await bearerRequest(server, token, 'POST', '/campaigns/create', {
      ...request,
      all_clients: true,
      filter_config: { ...query, blacklist_tables: [] },
    });
    expect(created.status).toBe(200);
    expect((await json(created)).filter_stats).toMatchObject({ initial_count: everyone.size });

    const both = await bearerRequest(server, token, 'POST', '/campaigns/create', {
      ...request,
      user_iins: list,
      all_clients: true,
    });
    expect(both.status).toBe(400);
    expect(JSON.stringify(await json(both))).toMatch(/exactly one of them/);
  });

  it('refuses all clients with a clear reason when the client list cannot be read', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    await rename(path.join(dataDir, 'clients.parquet'), path.join(dataDir, 'clients.away'));
    try {
      const answer = await marketer.trpc('audiences.preview', { all_clients: true });
      expect(answer.status).toBe(400);
      const error = (await json(answer)).error;
      expect(error.data.domainCode).toBe('AUDIENCE.NO_CLIENT_LIST');
      expect(error.message).toMatch(/clients\.parquet/);
      expect(error.data.issues).toEqual([
        { field: 'all_clients', message: expect.any(String), rule: 'invalid' },
      ]);
    } finally {
      await rename(path.join(dataDir, 'clients.away'), path.join(dataDir, 'clients.parquet'));
    }
  });
});
