import {
  Dictionary,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Table,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { decodeParquetDataset, readParquetTable } from './parquet-dataset';
import { writeParquetTable } from './parquet-write';
import { holdersOfLabel } from './value-index';

const IINS = [900101300007, 900101300811, 50505500012];

function int64Column(values: number[]) {
  return makeVector(
    makeData({
      type: new Int64(),
      length: values.length,
      nullCount: 0,
      data: BigInt64Array.from(values, BigInt),
    }),
  );
}
const text = (values: Array<string | null>) => vectorFromArray(values, new Utf8());

async function expectProblem(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toBeInstanceOf(DatasetError);
  await expect(promise).rejects.toMatchObject({ code });
}

describe('decodeParquetDataset', () => {
  it('reads an int64 IIN column into a sorted unique vector', async () => {
    const bytes = writeParquetTable(
      new Table({ iin: int64Column([IINS[1]!, IINS[0]!, IINS[1]!, IINS[2]!]) }),
    );
    const ds = await decodeParquetDataset(bytes, { iinColumn: 'iin' });
    expect([...ds.iins!]).toEqual([IINS[2], IINS[0], IINS[1]]);
    expect(ds.rows).toBe(4);
  });

  it('gives the same numbers for text IINs, with or without the lost leading zero, and float IINs', async () => {
    const asText = writeParquetTable(
      new Table({ IIN: text(['900101300007', ' 050505500012', '50505500012', null, 'n/a', '90010130000X']) }),
    );
    const asFloat = writeParquetTable(
      new Table({ iin: vectorFromArray([900101300007, 50505500012], new Float64()) }),
    );
    const fromText = await decodeParquetDataset(asText, { iinColumn: 'iin' }); // header case differs: still found
    expect([...fromText.iins!]).toEqual([50505500012, 900101300007]);
    expect(fromText.invalidRows).toBe(3);
    expect([...(await decodeParquetDataset(asFloat, { iinColumn: 'iin' })).iins]).toEqual([
      50505500012, 900101300007,
    ]);
  });

  it('splits a value column into one vector per value (plain text and dictionary-encoded)', async () => {
    const devices = ['android', 'iOS', 'android', null, 'iOS'];
    const plain = new Table({ iin: int64Column([5, 4, 3, 2, 1]), device: text(devices) });
    const dict = new Table({
      iin: int64Column([5, 4, 3, 2, 1]),
      device: vectorFromArray(devices, new Dictionary(new Utf8(), new Int32())),
    });
    for (const table of [plain, dict]) {
      const ds = await decodeParquetDataset(writeParquetTable(table), {
        iinColumn: 'iin',
        valueColumn: 'device',
      });
      const values = { iins: ds.iins, index: ds.values! };
      expect(ds.values!.labels.map((label) => [label, [...holdersOfLabel(values, label)]])).toEqual([
        ['android', [3, 5]],
        ['iOS', [1, 4]],
      ]);
      expect(ds.values!.counts).toEqual([2, 2]);
    }
  });

  it('names the problem: corrupt bytes, missing IIN column, missing value column, wrong IIN type', async () => {
    await expectProblem(
      decodeParquetDataset(new TextEncoder().encode('not parquet at all'), { iinColumn: 'iin' }),
      'DATASET.UNREADABLE',
    );
    const noIin = writeParquetTable(new Table({ client: int64Column([1]) }));
    await expectProblem(decodeParquetDataset(noIin, { iinColumn: 'iin' }), 'DATASET.IIN_COLUMN_MISSING');
    const noValue = writeParquetTable(new Table({ iin: int64Column([1]) }));
    await expectProblem(
      decodeParquetDataset(noValue, { iinColumn: 'iin', valueColumn: 'device' }),
      'DATASET.VALUE_COLUMN_MISSING',
    );
    const booleans = writeParquetTable(new Table({ iin: vectorFromArray([true, false]) }));
    await expectProblem(decodeParquetDataset(booleans, { iinColumn: 'iin' }), 'DATASET.IIN_COLUMN_TYPE');
  });

  it('rejects a snappy page whose block length disagrees with its page header, naming the row group', async () => {
    const bytes = writeParquetTable(new Table({ iin: text(['900101300007', '050505500012']) }));
    const meta = parquetMetadata(bytes.buffer as ArrayBuffer).row_groups[0]!.columns[0]!.meta_data!;
    const first = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
    const reader = { view: new DataView(bytes.buffer, bytes.byteOffset), offset: first };
    parquetHeader(reader);
    // The block starts with its uncompressed length (a varint): one more byte than the page header says.
    const corrupt = bytes.slice();
    corrupt[reader.offset]! += 1;
    const problem = decodeParquetDataset(corrupt, { iinColumn: 'iin' });
    await expectProblem(problem, 'DATASET.UNREADABLE');
    await expect(problem).rejects.toThrow(/row group 0 .*snappy page holds \d+ bytes, its header says \d+/);
  });

  it('equals a Map-based reference over many row groups: sorted, unsorted, disordered late, >32 labels late', async () => {
    // Decoding combines sorted row groups as they come and falls back to buffering when the order breaks or a
    // 33rd value appears; the result must not depend on which path was taken.
    const labelNames = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const row = fc.record({
      iin: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 60 }) }, fc.constant(-1)), // -1: not an IIN
      value: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 39 }) }, fc.constant(null)),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 200 }),
        fc.constantFrom('sorted', 'unsorted', 'late-disorder'),
        // Half the runs allow more than 32 labels (about one run in six holds 33 or more).
        fc.oneof(fc.integer({ min: 2, max: 32 }), fc.integer({ min: 33, max: 40 })),
        fc.integer({ min: 3, max: 25 }),
        fc.constantFrom('plain', 'dictionary'),
        async (rows, order, labelCount, groupRows, valueEncoding) => {
          const cells = rows.map(({ iin, value }) => ({
            iin: iin < 0 ? 'n/a' : String(900101000000 + iin),
            value: value === null ? null : labelNames[value % labelCount]!,
          }));
          if (order !== 'unsorted') cells.sort((a, b) => a.iin.localeCompare(b.iin));
          if (order === 'late-disorder' && cells.length > 2) cells.push(cells[0]!); // last group breaks the order
          const cellValues = cells.map((c) => c.value);
          // Dictionary-encoded: each row group gets its own dictionary, in the order its values first appear.
          const table = new Table({
            iin: text(cells.map((c) => c.iin)),
            value:
              valueEncoding === 'plain'
                ? text(cellValues)
                : vectorFromArray(cellValues, new Dictionary(new Utf8(), new Int32())),
          });
          const bytes = writeParquetTable(table, { rowGroupRows: groupRows });
          const ds = await decodeParquetDataset(bytes, { iinColumn: 'iin', valueColumn: 'value' });
          const plain = await decodeParquetDataset(bytes, { iinColumn: 'iin' });

          const held = new Map<number, Set<string>>();
          for (const c of cells) {
            if (c.iin === 'n/a') continue;
            const set = held.get(Number(c.iin)) ?? new Set<string>();
            held.set(Number(c.iin), set);
            if (c.value !== null) set.add(c.value);
          }
          const all = [...held.keys()].sort((a, b) => a - b);
          const valued = all.filter((iin) => held.get(iin)!.size > 0);
          expect([...plain.iins]).toEqual(all);
          expect(plain.invalidRows).toBe(cells.filter((c) => c.iin === 'n/a').length);
          expect([...ds.iins]).toEqual(valued);
          expect(ds.rows).toBe(cells.length);
          const values = { iins: ds.iins, index: ds.values! };
          for (const label of ds.values!.labels) {
            const holders = valued.filter((iin) => held.get(iin)!.has(label));
            expect([...holdersOfLabel(values, label)]).toEqual(holders);
          }
          const seen = new Set(cells.flatMap((c) => (c.iin !== 'n/a' && c.value !== null ? [c.value] : [])));
          expect(ds.values!.labels.filter((l) => seen.has(l)).sort()).toEqual([...seen].sort());
        },
      ),
      { numRuns: 40 },
    );
  });

  it('round-trips a table through parquet', async () => {
    const table = new Table({ iin: int64Column(IINS), name: text(['a', 'b', 'c']) });
    const back = readParquetTable(writeParquetTable(table));
    expect(back.numRows).toBe(3);
    expect(back.getChild('name')!.toArray()).toEqual(['a', 'b', 'c']);
  });
});
