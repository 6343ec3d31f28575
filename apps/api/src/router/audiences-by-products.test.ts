import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readParquetTable } from '@campaigns/core';
import { generateDemoData, SEED_BLACKLISTS } from '@campaigns/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishedJob } from '../testing/campaign-steps';
import { json, signedInBrowser } from '../testing/http-client';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

/** Naive reference: every distinct IIN with any of `wanted` in the demo product file, read row by row. */
async function holdersInFile(dataDir: string, wanted: string[]): Promise<Set<string>> {
  const table = readParquetTable(new Uint8Array(await readFile(path.join(dataDir, 'products.parquet'))));
  const iins = table.getChild('iin')!;
  const products = table.getChild('product')!;
  const out = new Set<string>();
  for (let i = 0; i < table.numRows; i++) {
    if (wanted.includes(String(products.get(i)))) out.add(String(iins.get(i)));
  }
  return out;
}

describe('audiences.byProducts: an audience from the product dataset, used like an upload', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'api-products-'));
    await generateDemoData({ dataDir, clients: 2_000 });
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the product names (holders per product) when the wizard asks datasets.list to load them', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    const product = async (input?: unknown) =>
      (await json(await marketer.trpcQuery('datasets.list', input))).result.data.find(
        (d: { kind: string }) => d.kind === 'product',
      );
    expect(await product()).toMatchObject({ status: 'not_loaded', values: null });
    const loaded = await product({ load: ['product'] });
    expect(loaded.status).toBe('loaded');
    expect(loaded.values.Ипотека).toBe((await holdersInFile(dataDir, ['Ипотека'])).size);
  });

  it('selects everyone holding any product; preview and create take its upload_id', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    const wanted = ['Депозит', 'Ипотека'];
    const expected = await holdersInFile(dataDir, wanted);
    expect(expected.size).toBeGreaterThan(0);

    const started = await json(
      await marketer.trpc('audiences.byProducts', { products: [...wanted, 'Нет такого'] }),
    );
    const job = await finishedJob(marketer, started.result.data.job.id);
    expect(job).toMatchObject({ kind: 'upload', status: 'succeeded', progress: 1 });
    expect(job.result).toMatchObject({
      format: 'products',
      total: expected.size,
      accepted: expected.size,
      duplicates: 0,
      rejected_count: 0,
      rejected: [],
      unknown_products: ['Нет такого'],
    });
    expect(job.result.holders['Нет такого']).toBe(0);
    expect(job.result.holders.Депозит).toBe((await holdersInFile(dataDir, ['Депозит'])).size);

    const uploadId: string = job.result.upload_id;
    const preview = await json(await marketer.trpc('audiences.preview', { upload_id: uploadId }));
    expect(preview.result.data.filter_stats).toMatchObject({
      initial_count: expected.size,
      final_count: expected.size,
    });
    const { user_iins: _ignored, ...withoutList } = seedCreateRequest();
    const created = await json(
      await marketer.trpc('campaigns.create', {
        ...withoutList,
        upload_id: uploadId,
        // The demo registry has three blacklists; the seed's body applies one.
        filter_config: {
          ...withoutList.filter_config,
          blacklist_omissions: Object.fromEntries(SEED_BLACKLISTS.map((name) => [name, 'not tested here'])),
        },
      }),
    );
    expect(created.result.data.campaign.filter_stats).toMatchObject({ initial_count: expected.size });

    // Like an upload, the selection belongs to the marketer who made it.
    const other = await signedInBrowser(server, 'marketer2');
    expect((await other.trpc('audiences.preview', { upload_id: uploadId })).status).toBe(404);
  });

  it('refuses an empty product list and approvers', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    expect((await marketer.trpc('audiences.byProducts', { products: [] })).status).toBe(400);
    const approver = await signedInBrowser(server, 'approver');
    expect((await approver.trpc('audiences.byProducts', { products: ['Депозит'] })).status).toBe(403);
  });

  it('fails the job with the reason when the product file is gone', async () => {
    await rm(path.join(dataDir, 'products.parquet'));
    const marketer = await signedInBrowser(server, 'marketer');
    const started = await json(await marketer.trpc('audiences.byProducts', { products: ['Депозит'] }));
    const job = await finishedJob(marketer, started.result.data.job.id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/products\.parquet/);
  });
});
