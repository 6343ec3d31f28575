// The whole pipeline on datasets laid out as the bank's exports are, against the naive reference: rows in any
// order with repeats, IINs as 12-character zero-padded text (or int64), upper-case column names, cells that hold
// no IIN or no value, written by DuckDB (as an exporter writes), by our writer, or with version-2 data pages.
// Each file is decoded by the store's page reader, or by parquet-wasm when the file is zstd-compressed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FilterConfigInput, writeParquetTable } from '@campaigns/core';
import { type NaiveData, naivePipeline } from '@campaigns/core/testing';
import { Table, Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetStore } from './dataset-store';
import { int64IinColumn } from './demo-datasets';
import { type ExportWriter, openExportWriter } from './export-writer';
import { REGISTRY_FILE } from './registry';
import { runAudience } from './run-audience';

// A small universe so lists overlap; a third of the IINs have fewer than 12 digits (text keeps leading zeros).
const iin = fc
  .integer({ min: 1, max: 60 })
  .map((k) => [900101300000 + k, 7 * 2 ** 28 + 16_384 * k + k, 50505500000 + k][k % 3]!);
const iins = fc.array(iin, { maxLength: 40 });
const DEVICES = ['android', 'iOS', 'harmony'];
const STREAMS = ['Переводы', 'Платежи', 'Маркет'];
const PRODUCTS = ['Кредитная карта', 'Депозит'];
const BLACKLISTS = ['ACRM_DW.RB_BLACK_LIST@ACRM', 'BL_No_worker'];
const valueRows = (values: string[]) =>
  fc.array(fc.tuple(iin, fc.constantFrom(...values)), { maxLength: 60 });

/** How one file is written. */
const LAYOUTS = ['export', 'sorted-int', 'text-v2', 'zstd'] as const;
type Layout = (typeof LAYOUTS)[number];

/** One dataset's rows as cells: text or number IINs, plus cells that hold no IIN or no value. */
interface FileRows {
  iins: number[];
  values?: string[];
}

let exporter: ExportWriter;
const dirs: string[] = [];
beforeAll(async () => {
  exporter = await openExportWriter();
});
afterAll(async () => {
  exporter.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Writes rows in `layout`; `order` shuffles them, `junk` adds cells that count as no IIN / no value. */
async function writeDataset(file: string, rows: FileRows, layout: Layout, order: number[]): Promise<void> {
  const n = rows.iins.length;
  const at = Array.from({ length: n }, (_, i) => i);
  if (layout === 'sorted-int') at.sort((a, b) => rows.iins[a]! - rows.iins[b]!);
  else at.sort((a, b) => order[a % order.length]! - order[b % order.length]! || a - b);
  const upper = layout === 'export';
  const iinName = upper ? 'IIN' : 'iin';
  const valueName = upper ? 'VALUE' : 'value';
  const columns: Record<string, Vector> = {};
  if (layout === 'sorted-int') {
    columns[iinName] = int64IinColumn(Float64Array.from(at, (i) => rows.iins[i]!));
  } else {
    // Text IINs, and two cells that are no IIN (a null and 'n/a') with values of their own.
    const text: Array<string | null> = at.map((i) => String(rows.iins[i]!).padStart(12, '0'));
    text.push(null, 'n/a');
    columns[iinName] = vectorFromArray(text, new Utf8());
  }
  if (rows.values) {
    const values: Array<string | null> = at.map((i) => rows.values![i]!);
    if (layout !== 'sorted-int') values.push('android', 'Депозит');
    columns[valueName] = vectorFromArray(values, new Utf8());
  }
  const table = new Table(columns);
  if (layout === 'export') await exporter.write(table, file);
  else
    await writeFile(
      file,
      writeParquetTable(table, {
        rowGroupRows: 16,
        ...(layout === 'text-v2' ? { pageVersion: 2, compression: 'none' as const } : {}),
        ...(layout === 'zstd' ? { compression: 'zstd' as const } : {}),
      }),
    );
}

describe('the export layout through the whole pipeline', () => {
  it('gives the naive reference counts on any row order, text or int IINs, and any writer', async () => {
    const data = fc.record({
      blacklists: fc.record(Object.fromEntries(BLACKLISTS.map((n) => [n, iins]))) as fc.Arbitrary<
        Record<string, number[]>
      >,
      devices: valueRows(DEVICES),
      push: valueRows(STREAMS),
      mau: iins,
      products: valueRows(PRODUCTS),
    });
    const config = fc.record({
      blacklist_tables: fc.subarray(BLACKLISTS),
      devices: fc.subarray([...DEVICES, 'IOS']),
      push_streams: fc.subarray(STREAMS),
      mau_only: fc.boolean(),
      products: fc.subarray(PRODUCTS),
      contact_pressure: fc.constant(false),
    });
    // A row with a value, then a repeat of it: the exports repeat (IIN, value) pairs.
    const repeated = <T>(rows: T[]) => [...rows, ...rows.slice(0, 3)];
    await fc.assert(
      fc.asyncProperty(
        iins,
        data,
        config,
        fc.array(fc.constantFrom(...LAYOUTS), { minLength: 7, maxLength: 7 }),
        fc.array(fc.integer(), { minLength: 1, maxLength: 50 }),
        async (input, sets, cfg, layouts, order) => {
          const dir = await mkdtemp(path.join(tmpdir(), 'export-layout-'));
          dirs.push(dir);
          const files: Array<[string, string, FileRows, string | undefined]> = [
            ...BLACKLISTS.map(
              (name, i) =>
                [name, `blacklist_${i}.parquet`, { iins: repeated(sets.blacklists[name]!) }, undefined] as [
                  string,
                  string,
                  FileRows,
                  undefined,
                ],
            ),
            ['devices', 'devices.parquet', split(repeated(sets.devices)), 'device'],
            ['push', 'push.parquet', split(repeated(sets.push)), 'push'],
            ['mau', 'mau.parquet', { iins: repeated(sets.mau) }, 'mau'],
            ['products', 'products.parquet', split(repeated(sets.products)), 'product'],
          ];
          const registry: Record<string, unknown> = {};
          for (const [k, [name, file, rows, kind]] of files.entries()) {
            await writeDataset(path.join(dir, file), rows, layouts[k]!, order);
            // Registered in lower case whatever the file says: exports disagree on `IIN` vs `iin`.
            registry[name] = {
              file,
              iin_column: 'iin',
              kind: kind ?? 'blacklist',
              ...(rows.values ? { value_column: 'value' } : {}),
            };
          }
          await writeFile(path.join(dir, REGISTRY_FILE), JSON.stringify(registry));
          const store = new DatasetStore(dir, { cacheDir: null });
          const result = await runAudience(store, { iins: Float64Array.from(input), config: cfg });
          const naive: NaiveData = { ...sets };
          const expected = naivePipeline(input, naive, cfg as Required<FilterConfigInput>, []);
          // Every file was read (a value nobody holds is a warning of its own, not a dataset problem).
          expect(result.warnings.filter((w) => w.code.startsWith('DATASET.'))).toEqual([]);
          expect(pick(result.stats, expected.stats)).toEqual(expected.stats);
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);
});

function split(rows: Array<[number, string]>): FileRows {
  return { iins: rows.map(([i]) => i), values: rows.map(([, v]) => v) };
}

/** The stats the reference gives (the run reports more: timings, the control split). */
function pick(stats: Record<string, unknown>, like: Record<string, number>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(like).map((key) => [key, stats[key]]));
}
