import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { iinsFromColumn, readParquetTable, writeParquetTable } from '@campaigns/core';
import { type NaiveData, naivePipeline } from '@campaigns/core/testing';
import { Table } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AudienceWorker,
  DatasetPreparer,
  DatasetStore,
  generateDemoData,
  type PreparedCacheEvent,
  readRegistry,
  runAudience,
  SEED_BLACKLISTS,
} from '../index';
import { lookupSampleFacts } from './audience-sample';
import { textIinColumn } from './demo-datasets';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preparer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const config = {
  blacklist_tables: [...SEED_BLACKLISTS],
  devices: ['android', 'iOS'],
  push_streams: ['Переводы'],
  mau_only: true,
  products: ['Депозит'],
};

async function clientIins(): Promise<Float64Array> {
  const table = readParquetTable(await readFile(path.join(dir, 'clients.parquet')));
  return iinsFromColumn(table.getChild('iin') ?? table.getChild('IIN')!).values;
}

describe('DatasetPreparer', () => {
  it('loads every dataset at start, and again when a file changes (not when nothing did)', async () => {
    await generateDemoData({ dataDir: dir, clients: 3_000 });
    const store = new DatasetStore(dir);
    const preparer = new DatasetPreparer(store, { pollMs: 0 });
    expect(preparer.progress.state).toBe('idle');
    await preparer.start();
    expect(preparer.progress).toMatchObject({ state: 'ready', rounds: 1, done: 7, total: 7 });
    // Every filter dataset; the client list (an audience source, not a filter) is read when first used.
    const filters = async () => (await store.describeDatasets()).filter((d) => d.kind !== 'client');
    expect((await filters()).every((d) => d.status === 'loaded')).toBe(true);

    await preparer.check();
    expect(preparer.progress.rounds).toBe(1); // nothing changed: no round
    store.clear(); // "Reload datasets"
    await preparer.refresh();
    expect(preparer.progress).toMatchObject({ state: 'ready', rounds: 2 });
    expect((await filters()).every((d) => d.status === 'loaded')).toBe(true);

    // The no-worker blacklist is replaced by a longer one (another export arrived).
    const iins = await clientIins();
    const table = new Table({ IIN: textIinColumn(iins.subarray(0, 1_234)) });
    await writeFile(path.join(dir, 'blacklist_no_worker.parquet'), writeParquetTable(table));
    await preparer.check();
    expect(preparer.progress).toMatchObject({ state: 'ready', rounds: 3 });
    const list = (await store.describeDatasets()).find((d) => d.name === 'BL_No_worker')!;
    expect(list).toMatchObject({ status: 'loaded', rows: 1_234, prepared_from: 'file' });
  });

  it('after a restart, filters are ready (the merged index) before the vectors are read', async () => {
    await generateDemoData({ dataDir: dir, clients: 3_000 });
    await new DatasetPreparer(new DatasetStore(dir, { mergedIndex: true }), { pollMs: 0 }).start();
    // One log of what the restarted service did, in order.
    const log: string[] = [];
    const store = new DatasetStore(dir, {
      mergedIndex: true,
      onCacheEvent: (e) => log.push(`${e.event} ${e.dataset}`),
    });
    const preparer = new DatasetPreparer(store, {
      pollMs: 0,
      onProgress: (p) => {
        const line = `${p.state}, filters ready: ${p.filters_ready}`;
        if (!log.includes(line)) log.push(line);
      },
    });
    await preparer.start();
    const reads = log.filter((line) => line.startsWith('vectors_read')).length;
    expect(reads).toBe(7); // each filter dataset's vectors, after the index
    expect(log.filter((line) => !line.startsWith('vectors_read'))).toEqual([
      'preparing, filters ready: false',
      'hit merged-index',
      'preparing, filters ready: true',
      'ready, filters ready: true',
    ]);
    expect(log.indexOf('preparing, filters ready: true')).toBeLessThan(
      log.findIndex((l) => l.startsWith('vectors_read')),
    );
    expect(preparer.progress).toMatchObject({ state: 'ready', done: 7, total: 7 });
    const described = (await store.describeDatasets()).filter((d) => d.kind !== 'client');
    expect(described.map((d) => [d.prepared_from, d.vectors])).toEqual(Array(7).fill(['cache', 'in_memory']));
  });

  it('a filter request during background preparation waits for it and gets the same answer', async () => {
    await generateDemoData({ dataDir: dir, clients: 20_000, layout: 'export' });
    const iins = (await clientIins()).subarray(0, 10_000);
    const reference = await runAudience(new DatasetStore(dir, { cacheDir: null }), { iins, config });

    const worker = new AudienceWorker(dir);
    try {
      worker.prepare();
      const messages: string[] = [];
      const result = await worker.run({ iins, config }, (p) => messages.push(p.message));
      expect(result.stats).toEqual(reference.stats);
      expect([...result.survivors]).toEqual([...reference.survivors]);
      expect(messages.some((m) => m.startsWith('waiting for dataset preparation'))).toBe(true);
      await until(() => worker.preparation()?.state === 'ready');
      expect(worker.preparation()).toMatchObject({ done: 7, total: 7, rounds: 1 });
    } finally {
      await worker.close();
    }

    // A restart prepares from the cache the first one wrote.
    const restarted = new AudienceWorker(dir);
    try {
      restarted.prepare();
      await until(() => restarted.preparation()?.state === 'ready');
      const described = (await restarted.describeDatasets()).filter((d) => d.kind !== 'client');
      expect(described.map((d) => d.prepared_from)).toEqual(Array(7).fill('cache'));
      const again = await restarted.run({ iins, config });
      expect(again.stats).toEqual(reference.stats);
    } finally {
      await restarted.close();
    }
  });
});

describe('DatasetPreparer after a restart, beside the first filter', () => {
  it('a filter sent at boot gets the naive answer; the vectors are read behind it, each cache file once', async () => {
    await generateDemoData({ dataDir: dir, clients: 3_000, layout: 'export' });
    await new DatasetPreparer(new DatasetStore(dir, { mergedIndex: true }), { pollMs: 0 }).start();
    const iins = (await clientIins()).subarray(0, 1_500);
    const events: PreparedCacheEvent[] = [];
    const store = new DatasetStore(dir, { mergedIndex: true, onCacheEvent: (e) => events.push(e) });
    const preparer = new DatasetPreparer(store, { pollMs: 0 });
    // As the audience worker boots: the preparation started, and a marketer's filter at once.
    const preparing = preparer.start();
    const result = await runAudience(store, { iins, config });
    const when = { progress: preparer.progress, events: [...events] };
    const naive = naivePipeline([...iins], await naiveData(), { ...config, contact_pressure: false }, []);
    expect([...result.survivors]).toEqual(naive.survivors);
    expect(pick(result.stats, naive.stats)).toEqual(naive.stats);
    // The preparation's reads of the vectors waited for the filter (the merged index answered it alone).
    expect(when.progress.state).toBe('preparing');
    expect(when.events).toEqual([{ dataset: 'merged-index', event: 'hit' }]);
    await preparing;
    expect(preparer.progress).toMatchObject({ state: 'ready', done: 7, total: 7 });
    // Each cache file read once: the index, then each dataset's vectors; nothing decoded.
    expect(events.slice(1).every((e) => e.event === 'vectors_read')).toBe(true);
    expect(new Set(events.slice(1).map((e) => e.dataset)).size).toBe(7);
    expect(events.length).toBe(8);
    const described = (await store.describeDatasets()).filter((d) => d.kind !== 'client');
    expect(described.map((d) => [d.prepared_from, d.vectors])).toEqual(Array(7).fill(['cache', 'in_memory']));
  });

  it('while a filter runs the vectors wait, except those a request needs: read at once', async () => {
    await generateDemoData({ dataDir: dir, clients: 3_000, layout: 'export' });
    await new DatasetPreparer(new DatasetStore(dir, { mergedIndex: true }), { pollMs: 0 }).start();
    const sample = (await clientIins()).subarray(0, 40);
    const reference = await lookupSampleFacts(new DatasetStore(dir, { cacheDir: null }), {
      iins: sample,
      config,
    });
    // Pauses that last as long as the filter does, whatever the machine's speed.
    const store = new DatasetStore(dir, { mergedIndex: true, backgroundPauseMs: 600_000 });
    const preparer = new DatasetPreparer(store, { pollMs: 0 });
    const filtering = store.filterStarted(); // a filter that runs until told
    const preparing = preparer.start();
    await until(() => preparer.progress.filters_ready);
    // A request for one dataset's vectors is served now; the preparation's own reads still wait.
    const devices = await store.load('devices');
    expect(devices?.status).toBe('ok');
    const vectors = async () =>
      Object.fromEntries(
        (await store.describeDatasets()).flatMap((d) => (d.vectors ? [[d.name, d.vectors]] : [])),
      );
    expect(await vectors()).toEqual({
      'ACRM_DW.RB_BLACK_LIST@ACRM': 'in_cache',
      BL_No_worker: 'in_cache',
      'dssb_de.dim_clients_black_list': 'in_cache',
      devices: 'in_memory',
      mau: 'in_cache',
      products: 'in_cache',
      push_preferences: 'in_cache',
    });
    // The audience sample reads every dataset it shows, at once too: the same facts as a fresh decode.
    expect(await lookupSampleFacts(store, { iins: sample, config })).toEqual(reference);
    filtering(); // the filter ends (the sample has read every vector the preparation was to read)
    await preparing;
    expect(preparer.progress.state).toBe('ready');
    expect(Object.values(await vectors())).toEqual(Array(7).fill('in_memory'));
  });
});

/** Every filter dataset's rows as the naive reference takes them, read straight from the parquet files. */
async function naiveData(): Promise<NaiveData> {
  const { registry } = await readRegistry(dir);
  const data: NaiveData = {
    blacklists: {},
    devices: undefined,
    push: undefined,
    mau: undefined,
    products: undefined,
  };
  for (const [name, entry] of Object.entries(registry)) {
    const table = readParquetTable(await readFile(path.join(dir, entry.file)));
    const column = (want: string) => {
      const field = table.schema.fields.find((f) => f.name.toLowerCase() === want.toLowerCase())!;
      return table.getChild(field.name)!;
    };
    const iins = Array.from({ length: table.numRows }, (_, i) => Number(column(entry.iin_column).get(i)));
    const values = entry.value_column ? column(entry.value_column) : undefined;
    const rows = () => iins.map((iin, i): [number, string] => [iin, String(values!.get(i) ?? '')]);
    if (entry.kind === 'blacklist') data.blacklists[name] = iins;
    else if (entry.kind === 'mau') data.mau = iins;
    else if (entry.kind === 'device') data.devices = rows();
    else if (entry.kind === 'push') data.push = rows();
    else if (entry.kind === 'product') data.products = rows();
  }
  return data;
}

/** The stats the reference gives (a run reports more). */
function pick(stats: Record<string, unknown>, like: Record<string, number>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(like).map((key) => [key, stats[key]]));
}

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
