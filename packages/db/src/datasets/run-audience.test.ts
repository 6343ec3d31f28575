import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { completeIin, writeParquetTable } from '@campaigns/core';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetStore, LoaderPool, REGISTRY_FILE, runAudience } from '../index';
import { int64IinColumn } from './demo-datasets';

// 240k valid IINs born over 40 years (so they spread over many index buckets), in a scrambled order.
const CLIENTS = Array.from({ length: 240_000 }, (_, k) => {
  const year = 50 + (k % 40);
  const day = 1 + (Math.floor(k / 40) % 28);
  const serial = Math.floor(k / 1120);
  return Number(completeIin(`${year}01${String(day).padStart(2, '0')}3${String(serial).padStart(4, '0')}`));
}).filter((x) => !Number.isNaN(x));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'run-audience-'));
  const write = (file: string, table: Table) => writeFile(path.join(dir, file), writeParquetTable(table));
  await write('bl.parquet', new Table({ iin: int64IinColumn(CLIENTS.filter((_, k) => k % 17 === 0)) }));
  await write('mau.parquet', new Table({ iin: int64IinColumn(CLIENTS.filter((_, k) => k % 3 !== 0)) }));
  await write(
    'devices.parquet',
    new Table({
      iin: int64IinColumn(CLIENTS),
      device: vectorFromArray(
        CLIENTS.map((_, k) => (k % 4 === 0 ? 'iOS' : 'android')),
        new Utf8(),
      ),
    }),
  );
  await writeFile(
    path.join(dir, REGISTRY_FILE),
    JSON.stringify({
      'ACRM_DW.RB_BLACK_LIST@ACRM': { file: 'bl.parquet', iin_column: 'iin', kind: 'blacklist' },
      mau: { file: 'mau.parquet', iin_column: 'iin', kind: 'mau' },
      devices: { file: 'devices.parquet', iin_column: 'iin', value_column: 'device', kind: 'device' },
    }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runAudience with a pool', () => {
  it('merges half of a warm pass in a worker, with the one-thread result', async () => {
    const iins = Float64Array.from({ length: 200_000 }, (_, i) => CLIENTS[(i * 7_919) % CLIENTS.length]!);
    const request = {
      iins,
      config: { blacklist_tables: ['ACRM_DW.RB_BLACK_LIST@ACRM'], devices: ['iOS'], mau_only: true },
      offLimitIins: Float64Array.from(CLIENTS.filter((_, k) => k % 29 === 0)),
    };
    const local = await runAudience(new DatasetStore(dir), request);
    expect(local.stats.final_count).toBeGreaterThan(10_000);
    const pool = new LoaderPool(2);
    let merged = 0;
    const mergeBuckets = pool.mergeBuckets.bind(pool);
    pool.mergeBuckets = (job) => {
      merged++;
      return mergeBuckets(job);
    };
    try {
      const store = new DatasetStore(dir, { pool });
      // Cold, then warm twice: the merged index is built on the second use of the datasets, then reused.
      const runs = [];
      for (let r = 0; r < 3; r++) runs.push(await runAudience(store, request, undefined, { pool }));
      expect(merged).toBe(2);
      for (const run of runs) {
        expect(run.stats).toEqual(local.stats);
        expect(run.blacklist_breakdown).toEqual(local.blacklist_breakdown);
        expect([...run.survivors]).toEqual([...local.survivors]);
      }
    } finally {
      await pool.close();
    }
  });
});
