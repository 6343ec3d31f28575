import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatasetStore, generateDemoData, SEED_BLACKLISTS } from '@campaigns/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, json, signedInBrowser } from '../testing/http-client';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

// Issue 14 item 5: one owner of decoded datasets. The audience worker holds them; the API thread asks it (describe,
// select by products, all clients, run) and decodes nothing itself, and "all clients" is resolved inside the
// worker: the client list crosses no thread boundary for a preview, and once (worker -> API) for a create, which
// saves it as the campaign's input snapshot. The snapshot codec's worker then encodes it from shared memory (no
// copy; issue 13 item 3) and hands back the compact bytes, which are no IIN vector.

const CLIENTS = 3_000;

/** Every typed array in a message (its fields, nested). */
function typedArraysIn(value: unknown, depth = 0, out: ArrayBufferView[] = []): ArrayBufferView[] {
  if (ArrayBuffer.isView(value)) out.push(value);
  else if (value && typeof value === 'object' && depth < 8)
    for (const field of Object.values(value)) typedArraysIn(field, depth + 1, out);
  return out;
}

describe('one DatasetStore: the audience worker owns every decoded dataset', () => {
  let server: TestServer;
  let dataDir: string;
  /**
   * IIN vectors of at least CLIENTS IINs that crossed between this thread and a worker, by direction, and whether
   * on shared memory (nothing copied).
   */
  const crossed: Array<{ direction: 'to worker' | 'from worker'; length: number; shared: boolean }> = [];
  const big = (message: unknown) =>
    typedArraysIn(message).filter((a): a is Float64Array => a instanceof Float64Array && a.length >= CLIENTS);
  const crossing = (direction: 'to worker' | 'from worker', a: Float64Array) => ({
    direction,
    length: a.length,
    shared: a.buffer instanceof SharedArrayBuffer,
  });
  // Every use of a DatasetStore starts by reading its registry: on this (the API) thread it must never happen.
  const storeOnThisThread = vi.spyOn(DatasetStore.prototype, 'registry');

  beforeAll(async () => {
    const post = Worker.prototype.postMessage;
    vi.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (
      this: Worker,
      ...args: Parameters<Worker['postMessage']>
    ) {
      for (const a of big(args[0])) crossed.push(crossing('to worker', a));
      return post.apply(this, args);
    });
    const emit = Worker.prototype.emit;
    vi.spyOn(Worker.prototype, 'emit').mockImplementation(function (
      this: Worker,
      event: string | symbol,
      ...args: unknown[]
    ) {
      if (event === 'message') for (const a of big(args[0])) crossed.push(crossing('from worker', a));
      return emit.call(this, event, ...args);
    });
    dataDir = await mkdtemp(path.join(tmpdir(), 'api-one-owner-'));
    await generateDemoData({ dataDir, clients: CLIENTS });
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
    vi.restoreAllMocks();
  });

  it('describes, selects by products, previews all clients and a small list without decoding on the API thread', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);

    const list = (await json(await marketer.trpcQuery('datasets.list', { load: ['client', 'product'] })))
      .result.data;
    // The worker read them: the client list is there with every client.
    expect(list.find((d: { kind: string }) => d.kind === 'client')).toMatchObject({
      status: 'loaded',
      distinct_iins: CLIENTS,
    });

    const preview = await json(
      await marketer.trpc('audiences.preview', {
        all_clients: true,
        filter_config: { blacklist_tables: [...SEED_BLACKLISTS] },
      }),
    );
    expect(preview.result.data.filter_stats.initial_count).toBe(CLIENTS);
    // The demo blacklists hold clients: fewer survive than the client list holds.
    expect(preview.result.data.filter_stats.final_count).toBeLessThan(CLIENTS);

    const started = await json(await marketer.trpc('audiences.byProducts', { products: ['Депозит'] }));
    const job = await eventually(async () => {
      const got = (await json(await marketer.trpcQuery('jobs.get', { id: started.result.data.job.id })))
        .result.data;
      return got.status === 'running' ? undefined : got;
    });
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(job.result.accepted).toBeGreaterThan(0);

    const small = await json(
      await marketer.trpc('audiences.preview', { user_iins: ['900101300007', '900101300811'] }),
    );
    expect(small.result.data.filter_stats.initial_count).toBe(2);

    expect(crossed).toEqual([]);
    expect(storeOnThisThread).not.toHaveBeenCalled();
  });

  it('brings the client list to the API thread once for a create (its input snapshot), never back', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    crossed.length = 0;
    const { user_iins: _list, ...request } = seedCreateRequest();
    const created = await json(
      await marketer.trpc('campaigns.create', {
        ...request,
        all_clients: true,
        filter_config: { ...request.filter_config, blacklist_tables: [...SEED_BLACKLISTS] },
      }),
    );
    expect(created.result.data.campaign.filter_stats.initial_count).toBe(CLIENTS);
    expect(crossed.filter((c) => c.direction === 'from worker')).toMatchObject([{ length: CLIENTS }]);
    // On to the snapshot codec's worker, if at all, only as shared memory.
    expect(crossed.filter((c) => c.direction === 'to worker' && !c.shared)).toEqual([]);
    expect(storeOnThisThread).not.toHaveBeenCalled();
  });
});
