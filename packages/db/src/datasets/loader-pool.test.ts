import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeParquetTable } from '@campaigns/core';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LoaderPool } from '../index';
import { int64IinColumn } from './demo-datasets';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'loader-pool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LoaderPool', () => {
  it('runs tasks from one queue: an idle worker takes the next, a failing task rejects only itself', async () => {
    // A long decode (1.5M unsorted rows with values: the index sort), a corrupt file and a small file.
    const rows = 800_000;
    const iins = Float64Array.from({ length: rows }, (_, i) => 900101300000 + ((i * 7919) % 1_000_003));
    const devices = Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? 'iOS' : 'android'));
    await writeFile(
      path.join(dir, 'big.parquet'),
      writeParquetTable(
        new Table({ iin: int64IinColumn(iins), device: vectorFromArray(devices, new Utf8()) }),
      ),
    );
    await writeFile(path.join(dir, 'corrupt.parquet'), 'PAR1 not parquet at all PAR1');
    await writeFile(
      path.join(dir, 'small.parquet'),
      writeParquetTable(new Table({ iin: int64IinColumn([3, 1, 2, 3]) })),
    );

    const pool = new LoaderPool(2);
    try {
      // Both workers started (two tasks at once go to both), so neither is still booting below.
      await Promise.all([0, 1].map(() => pool.decode(path.join(dir, 'small.parquet'), { iinColumn: 'iin' })));
      const settled: string[] = [];
      const track = <T>(label: string, p: Promise<T>) =>
        p.finally(() => {
          settled.push(label);
        });
      // Sent at once. Bound to a worker at send time, "small" would wait behind "big" on the first worker;
      // from a queue it runs on the second worker as soon as "corrupt" has failed there.
      const big = track(
        'big',
        pool.decode(path.join(dir, 'big.parquet'), { iinColumn: 'iin', valueColumn: 'device' }),
      );
      const corrupt = track('corrupt', pool.decode(path.join(dir, 'corrupt.parquet'), { iinColumn: 'iin' }));
      const small = track('small', pool.decode(path.join(dir, 'small.parquet'), { iinColumn: 'iin' }));

      await expect(corrupt).rejects.toMatchObject({ name: 'DatasetError', code: 'DATASET.UNREADABLE' });
      const [bigDone, smallDone] = await Promise.all([big, small]);
      expect([...smallDone.dataset.iins]).toEqual([1, 2, 3]);
      expect(smallDone.dataset.rows).toBe(4);
      expect(bigDone.dataset.rows).toBe(rows);
      expect(bigDone.dataset.iins.length).toBe(rows);
      expect(bigDone.dataset.values!.labels).toEqual(['iOS', 'android']);
      expect(bigDone.ms).toBeGreaterThan(0);
      expect(settled).toEqual(['corrupt', 'small', 'big']);

      // The pool keeps working after a failed task.
      const again = await pool.decode(path.join(dir, 'small.parquet'), { iinColumn: 'iin' });
      expect([...again.dataset.iins]).toEqual([1, 2, 3]);
    } finally {
      await pool.close();
    }
    await expect(pool.decode(path.join(dir, 'small.parquet'), { iinColumn: 'iin' })).rejects.toThrow(
      /closed/,
    );
  });
});
