// The page reader on files shaped like exports, against a Map-based reference: text IIN cells of every kind
// (12 digits with leading zeros, a lost zero, spaces, junk, empty, null) in no order over many IIN buckets, so
// that from the second row group on the IINs go straight from the text pages into the buckets; PLAIN or
// dictionary pages, many pages a row group, v1 or v2 pages, snappy or none, and more value labels than a bucket
// key holds, appearing late.
import { Dictionary, Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeParquetDataset } from './parquet-dataset';
import { writeParquetTable } from './parquet-write';
import { holdersOfLabel } from './value-index';

/** IINs over many 2^28-wide buckets, a third below 10^11 (their 12-character text starts with 0). */
const iinNumber = fc
  .integer({ min: 0, max: 80 })
  .map((k) => [900101300000 + k, (k % 9) * 2 ** 28 + 16_387 * k, 50505500000 + k][k % 3]!);

/** One IIN cell as an export may hold it. */
const iinCell = fc.oneof(
  { weight: 12, arbitrary: iinNumber.map((v) => String(v).padStart(12, '0')) },
  { weight: 2, arbitrary: iinNumber.map((v) => String(v)) }, // the leading zero lost
  { weight: 1, arbitrary: iinNumber.map((v) => ` ${String(v).padStart(12, '0')} `) },
  { weight: 1, arbitrary: fc.constantFrom('n/a', '', '90010130000X', '9001013000071', '-900101300007') },
  { weight: 1, arbitrary: fc.constant(null) },
);

const LABELS = Array.from({ length: 24 }, (_, i) => `value ${i}`);

describe('readPages (text IINs straight into the buckets)', () => {
  it('equals a Map-based reference for sets and values, whatever the pages and the order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            iin: iinCell,
            // Most rows use the first 10 labels; a few use up to 24 (more than a bucket key's 16 codes).
            value: fc.oneof(
              { weight: 20, arbitrary: fc.integer({ min: 0, max: 9 }) },
              { weight: 1, arbitrary: fc.integer({ min: 10, max: 23 }) },
              { weight: 2, arbitrary: fc.constant(-1) }, // null cell
            ),
          }),
          { maxLength: 400 },
        ),
        fc.constantFrom('shuffled', 'sorted-then-shuffled'),
        fc.integer({ min: 5, max: 120 }),
        fc.record({
          dictionary: fc.boolean(),
          pageBytes: fc.constantFrom(64, 256, 1 << 20),
          pageVersion: fc.constantFrom(1 as const, 2 as const),
          compression: fc.constantFrom('snappy' as const, 'none' as const),
          valueDictionary: fc.boolean(),
          manyLabelsLate: fc.boolean(),
        }),
        async (rows, order, groupRows, options) => {
          // Labels beyond the tenth only in the last third of the rows: the buckets are in use by then.
          const cells = rows.map(({ iin, value }, r) => ({
            iin,
            value:
              value < 0
                ? null
                : LABELS[
                    value >= 10 && (!options.manyLabelsLate || r < (rows.length * 2) / 3) ? value % 10 : value
                  ]!,
          }));
          if (order === 'sorted-then-shuffled') {
            // The first row group in IIN order, the rest not: the builders start combining, then bucket.
            const head = cells.slice(0, groupRows).sort((a, b) => key(a.iin) - key(b.iin));
            cells.splice(0, head.length, ...head);
          }
          const table = new Table({
            IIN: vectorFromArray(
              cells.map((c) => c.iin),
              new Utf8(),
            ),
            VALUE: options.valueDictionary
              ? vectorFromArray(
                  cells.map((c) => c.value),
                  new Dictionary(new Utf8(), new Int32()),
                )
              : vectorFromArray(
                  cells.map((c) => c.value),
                  new Utf8(),
                ),
          });
          const bytes = writeParquetTable(table, { rowGroupRows: groupRows, ...options });
          const set = await decodeParquetDataset(bytes, { iinColumn: 'IIN' });
          const values = await decodeParquetDataset(bytes, { iinColumn: 'IIN', valueColumn: 'VALUE' });

          const held = new Map<number, Set<string>>();
          let invalid = 0;
          for (const c of cells) {
            const v = key(c.iin);
            if (v < 0) {
              invalid++;
              continue;
            }
            const labels = held.get(v) ?? new Set<string>();
            held.set(v, labels);
            if (c.value !== null) labels.add(c.value);
          }
          const all = [...held.keys()].sort((a, b) => a - b);
          const valued = all.filter((v) => held.get(v)!.size > 0);
          expect([...set.iins]).toEqual(all);
          expect(set.invalidRows).toBe(invalid);
          expect(set.rows).toBe(cells.length);
          expect([...values.iins]).toEqual(valued);
          expect(values.invalidRows).toBe(invalid);
          expect(values.rows).toBe(cells.length);
          const index = { iins: values.iins, index: values.values! };
          for (const label of values.values!.labels) {
            const holders = valued.filter((v) => held.get(v)!.has(label));
            expect([...holdersOfLabel(index, label)]).toEqual(holders);
            expect(values.values!.counts[values.values!.labels.indexOf(label)]).toBe(holders.length);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

/** The reference's reading of a cell: 1 to 12 digits between spaces is an IIN; anything else (or null) is -1. */
function key(cell: string | null): number {
  const digits = cell?.replace(/^ +| +$/g, '');
  return digits !== undefined && /^[0-9]{1,12}$/.test(digits) ? Number(digits) : -1;
}
