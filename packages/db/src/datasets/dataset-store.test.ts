import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeParquetTable } from '@campaigns/core';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AudienceWorker,
  type DatasetRegistry,
  DatasetStore,
  LoaderPool,
  REGISTRY_FILE,
  runAudience,
} from '../index';
import { int64IinColumn } from './demo-datasets';

const A = 900101300007;
const B = 900101300811;
const C = 50505500012; // born 2005: the 12-character text form starts with 0

const text = (values: string[]) => vectorFromArray(values, new Utf8());

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'datasets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeRegistry(registry: DatasetRegistry) {
  await writeFile(path.join(dir, REGISTRY_FILE), JSON.stringify(registry));
}
async function writeTable(file: string, table: Table) {
  await writeFile(path.join(dir, file), writeParquetTable(table));
}

const SEED_BLACKLIST = 'ACRM_DW.RB_BLACK_LIST@ACRM';

describe('DatasetStore', () => {
  it('filters with IINs stored as int64 in one file and as 12-character text in another', async () => {
    await writeTable('bl.parquet', new Table({ iin: int64IinColumn([B]) }));
    await writeTable('mau.parquet', new Table({ IIN: text(['050505500012', '900101300811']) }));
    await writeRegistry({
      [SEED_BLACKLIST]: { file: 'bl.parquet', iin_column: 'iin', kind: 'blacklist' },
      mau: { file: 'mau.parquet', iin_column: 'IIN', kind: 'mau' },
    });
    const store = new DatasetStore(dir);
    const result = await runAudience(store, {
      iins: Float64Array.from([A, B, C]),
      config: { blacklist_tables: [SEED_BLACKLIST], mau_only: true },
    });
    expect([...result.survivors]).toEqual([C]);
    expect(result.stats).toEqual({
      initial_count: 3,
      after_blacklist: 2,
      blacklist_removed: 1,
      after_mau: 1,
      mau_removed: 1,
      final_count: 1,
      total_removed: 2,
    });
  });

  it('skips a missing file, a corrupt file and a file without the IIN column, naming each', async () => {
    await writeFile(path.join(dir, 'corrupt.parquet'), 'PAR1 this is not parquet PAR1');
    await writeTable('no-iin.parquet', new Table({ client_id: int64IinColumn([A]) }));
    await writeTable('good.parquet', new Table({ iin: int64IinColumn([A]) }));
    await writeRegistry({
      missing: { file: 'missing.parquet', iin_column: 'iin', kind: 'blacklist' },
      corrupt: { file: 'corrupt.parquet', iin_column: 'iin', kind: 'blacklist' },
      noiin: { file: 'no-iin.parquet', iin_column: 'iin', kind: 'blacklist' },
      good: { file: 'good.parquet', iin_column: 'iin', kind: 'blacklist' },
    });
    const store = new DatasetStore(dir);
    const result = await runAudience(store, {
      iins: Float64Array.from([A, B]),
      config: { blacklist_tables: ['missing', 'corrupt', 'noiin', 'good'] },
    });
    expect([...result.survivors]).toEqual([B]);
    expect(result.skipped_blacklists).toEqual(['missing', 'corrupt', 'noiin']);
    expect(result.warnings.map((w) => [w.dataset, w.code])).toEqual([
      ['missing', 'DATASET.FILE_MISSING'],
      ['corrupt', 'DATASET.UNREADABLE'],
      ['noiin', 'DATASET.IIN_COLUMN_MISSING'],
    ]);
    expect(result.warnings[2]!.message).toContain('client_id');
    const described = await store.describeDatasets();
    expect(described.find((d) => d.name === 'corrupt')?.status).toBe('skipped');
    expect(described.find((d) => d.name === 'good')).toMatchObject({
      status: 'loaded',
      rows: 1,
      distinct_iins: 1,
    });
  });

  it('reloads a dataset when its file changes, and describes rows, load time and memory', async () => {
    await writeRegistry({
      devices: { file: 'dev.parquet', iin_column: 'iin', value_column: 'device', kind: 'device' },
    });
    await writeTable(
      'dev.parquet',
      new Table({ iin: int64IinColumn([A, B]), device: text(['android', 'iOS']) }),
    );
    const store = new DatasetStore(dir);
    const first = await runAudience(store, { iins: Float64Array.from([A, B]), config: { devices: ['iOS'] } });
    expect([...first.survivors]).toEqual([B]);
    const [described] = await store.describeDatasets();
    expect(described).toMatchObject({ status: 'loaded', rows: 2, values: { android: 1, iOS: 1 } });
    expect(described!.memory_bytes).toBe(2 * 8 + 2 * 4); // two IINs and their value masks
    expect(described!.load_ms).toBeGreaterThanOrEqual(0);

    await writeTable(
      'dev.parquet',
      new Table({ iin: int64IinColumn([A, B, C]), device: text(['iOS', 'iOS', 'android']) }),
    );
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(dir, 'dev.parquet'), later, later);
    const second = await runAudience(store, {
      iins: Float64Array.from([A, B]),
      config: { devices: ['iOS'] },
    });
    expect([...second.survivors]).toEqual([A, B]);
  });

  it('runs in a worker thread with progress and keeps the datasets warm there', async () => {
    await writeTable('bl.parquet', new Table({ iin: int64IinColumn([B]) }));
    await writeRegistry({ [SEED_BLACKLIST]: { file: 'bl.parquet', iin_column: 'iin', kind: 'blacklist' } });
    const worker = new AudienceWorker(dir);
    try {
      const phases: string[] = [];
      const result = await worker.run(
        {
          iins: Float64Array.from([A, B, C]),
          config: { blacklist_tables: [SEED_BLACKLIST] },
          control: { share: 0.5, seed: 'C000000001', asOf: '2026-01-01' },
        },
        (p) => phases.push(p.phase),
      );
      expect(result.stats.final_count).toBe(2);
      expect(result.survivors).toBeInstanceOf(Float64Array);
      expect([...result.survivors]).toEqual([C, A]);
      expect(result.control!.control.length + result.control!.target.length).toBe(2);
      expect(phases).toContain('filtering');
      expect(phases.at(-1)).toBe('done');
      const described = await worker.describeDatasets();
      expect(described[0]).toMatchObject({ name: SEED_BLACKLIST, status: 'loaded' });
    } finally {
      await worker.close();
    }
  });

  it('selects everyone holding any of the listed products', async () => {
    await writeRegistry({
      products: { file: 'p.parquet', iin_column: 'iin', value_column: 'product', kind: 'product' },
    });
    await writeTable(
      'p.parquet',
      new Table({
        iin: int64IinColumn([A, A, B, C]),
        product: text(['Депозит', 'Кредитная карта', 'Ипотека', 'Депозит']),
      }),
    );
    const selection = await new DatasetStore(dir).selectByProducts(['Депозит', 'Кредитная карта', 'Вклад']);
    expect([...selection.iins]).toEqual([C, A]);
    expect(selection.holders).toEqual({ Депозит: 2, 'Кредитная карта': 1, Вклад: 0 });
    expect(selection.unknown).toEqual(['Вклад']);
    await expect(
      new DatasetStore(path.join(dir, 'nowhere')).selectByProducts(['Депозит']),
    ).rejects.toMatchObject({
      code: 'DATASET.NOT_REGISTERED',
    });
  });

  it('decodes in a pool of worker threads and sorts on two threads, with the same results', async () => {
    await writeTable('bl.parquet', new Table({ IIN: text(['900101300811', 'junk']) }));
    await writeTable(
      'dev.parquet',
      new Table({ iin: int64IinColumn([C, A, B]), device: text(['iOS', 'android', 'iOS']) }),
    );
    await writeFile(path.join(dir, 'corrupt.parquet'), 'not parquet');
    await writeRegistry({
      [SEED_BLACKLIST]: { file: 'bl.parquet', iin_column: 'iin', kind: 'blacklist' },
      corrupt: { file: 'corrupt.parquet', iin_column: 'iin', kind: 'blacklist' },
      devices: { file: 'dev.parquet', iin_column: 'iin', value_column: 'device', kind: 'device' },
    });
    const pool = new LoaderPool(2);
    try {
      const request = {
        iins: Float64Array.from([C, B, A, C]),
        config: { blacklist_tables: [SEED_BLACKLIST, 'corrupt'], devices: ['iOS'] },
      };
      const store = new DatasetStore(dir, { pool });
      // Cold: every file is read (the corrupt one too, it is tried again after a change only).
      const cold = await store.startLoading(request.config);
      expect(cold.decoding.sort()).toEqual([SEED_BLACKLIST, 'corrupt', 'devices'].sort());
      await cold.datasets;
      expect((await store.startLoading(request.config)).decoding).toEqual([]);
      const pooled = await runAudience(new DatasetStore(dir, { pool }), request, undefined, { pool });
      const warm = await runAudience(store, request, undefined, { pool });
      const local = await runAudience(new DatasetStore(dir), request);
      expect([...pooled.survivors]).toEqual([C]);
      expect([...warm.survivors]).toEqual([C]);
      expect(pooled.stats).toEqual(local.stats);
      expect(warm.stats).toEqual(local.stats);
      expect(pooled.warnings).toEqual(local.warnings);
      expect(pooled.warnings[0]).toMatchObject({ dataset: 'corrupt', code: 'DATASET.UNREADABLE' });

      const big = Float64Array.from({ length: 600_000 }, (_, i) => ((i * 7_919) % 500_000) * 1_000_003);
      const sorted = await pool.sortUnique(big);
      expect(sorted.length).toBe(500_000);
      expect(sorted.every((v, i) => i === 0 || v > sorted[i - 1]!)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('reports a registry entry of the wrong kind and a malformed registry', async () => {
    await writeTable('mau.parquet', new Table({ iin: int64IinColumn([A]) }));
    await writeRegistry({ mau: { file: 'mau.parquet', iin_column: 'iin', kind: 'mau' } });
    const store = new DatasetStore(dir);
    const result = await runAudience(store, {
      iins: Float64Array.from([A]),
      config: { blacklist_tables: ['mau'] },
    });
    expect(result.warnings[0]).toMatchObject({ dataset: 'mau', code: 'DATASET.WRONG_KIND' });
    await writeFile(
      path.join(dir, REGISTRY_FILE),
      JSON.stringify({ x: { file: 'a', kind: 'device', iin_column: 'iin' } }),
    );
    await expect(store.registry()).rejects.toThrow(/value_column/);
  });
});
