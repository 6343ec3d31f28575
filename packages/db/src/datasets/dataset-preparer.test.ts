import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { iinsFromColumn, readParquetTable, writeParquetTable } from '@campaigns/core';
import { Table } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AudienceWorker,
  DatasetPreparer,
  DatasetStore,
  generateDemoData,
  runAudience,
  SEED_BLACKLISTS,
} from '../index';
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

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
