import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortUnique } from './iin-vector';
import { holdersOf, indexVectors, maskForValues } from './value-index';
import { buildValueIndex, ValueIndexBuilder } from './value-index-build';

/** Large property tests: a shared, loaded machine takes several times their quiet 2-5 s. */
const HEAVY_TEST_MS = 60_000;

const LABELS = Array.from({ length: 40 }, (_, i) => `value-${i}`); // more than 32: two mask words

/** The index as a Map-based reference builds it: distinct IINs with a value, ascending, and their mask words. */
function naiveIndex(iins: ArrayLike<number>, codes: ArrayLike<number>, labelCount: number) {
  const held = new Map<number, Set<number>>();
  for (let r = 0; r < iins.length; r++) {
    if (codes[r]! < 0) continue;
    const set = held.get(iins[r]!) ?? new Set<number>();
    set.add(codes[r]!);
    held.set(iins[r]!, set);
  }
  const words = Math.max(1, Math.ceil(labelCount / 32));
  const sorted = [...held.keys()].sort((a, b) => a - b);
  const masks = new Uint32Array(sorted.length * words);
  const counts = new Array<number>(labelCount).fill(0);
  sorted.forEach((iin, i) => {
    for (const code of held.get(iin)!) {
      masks[i * words + (code >>> 5)]! |= 1 << (code & 31);
      counts[code]!++;
    }
  });
  return { iins: sorted, masks: [...masks], counts };
}

describe('value index', () => {
  it('holdersOf equals a Set-based filter, sorted or unsorted rows, one or two mask words', () => {
    const row = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -1, max: LABELS.length - 1 }));
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 300 }),
        fc.subarray(LABELS),
        fc.boolean(),
        (rows, wanted, sortRows) => {
          if (sortRows) rows.sort((a, b) => a[0] - b[0]);
          const built = buildValueIndex(
            Float64Array.from(rows, ([iin]) => iin),
            Int32Array.from(rows, ([, code]) => code),
            LABELS,
          );
          const wantedCodes = new Set(wanted.map((w) => LABELS.indexOf(w)));
          const holders = new Set(rows.filter(([, code]) => wantedCodes.has(code)).map(([iin]) => iin));
          const { mask } = maskForValues(built.index, wanted);
          expect([...holdersOf(built, mask)]).toEqual([...holders].sort((a, b) => a - b));
          for (const [code, label] of LABELS.entries()) {
            const expected = sortUnique(rows.filter(([, c]) => c === code).map(([iin]) => iin));
            const { mask: one } = maskForValues(built.index, [label]);
            expect([...holdersOf(built, one)]).toEqual([...expected]);
            expect(built.index.counts[code]).toBe(expected.length);
          }
        },
      ),
    );
  });

  it(
    'buildValueIndex equals a Map-based reference: unsorted, sorted, duplicate and no-value rows, big buckets',
    () => {
      // Rows are IIN-like (clustered by birth date, so buckets hold thousands of rows and take the radix path),
      // with 1 to 40 labels (codes packed into 0 to 6 key bits, one or two mask words) and some code -1 rows.
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 2 ** 31 - 1 }),
          fc.integer({ min: 0, max: 30_000 }),
          fc.constantFrom(1, 2, 3, 16, 17, 33, 40),
          fc.constantFrom('unsorted', 'sorted', 'repeated'),
          (seed, rows, labelCount, order) => {
            let state = seed;
            const random = () => {
              state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
              return state / 4_294_967_296;
            };
            const iins = new Float64Array(rows);
            const codes = new Int32Array(rows);
            for (let r = 0; r < rows; r++) {
              // A few birth dates, a few thousand serials each: duplicates and large buckets.
              const date = 900101 + Math.floor(random() * 3) * 100 + Math.floor(random() * 2);
              iins[r] =
                order === 'repeated' && r > 0 && random() < 0.5
                  ? iins[r - 1]!
                  : date * 1_000_000 + Math.floor(random() * 5_000);
              codes[r] = random() < 0.1 ? -1 : Math.floor(random() * labelCount);
            }
            if (order === 'sorted') iins.sort();
            const labels = LABELS.slice(0, labelCount);
            const built = buildValueIndex(iins, codes, labels);
            const expected = naiveIndex(iins, codes, labelCount);
            expect([...built.iins]).toEqual(expected.iins);
            expect([...built.index.masks]).toEqual(expected.masks);
            expect(built.index.counts).toEqual(expected.counts);
            expect(built.index.words).toBe(Math.max(1, Math.ceil(labelCount / 32)));
          },
        ),
        { numRuns: 40 },
      );
    },
    HEAVY_TEST_MS,
  );

  it('ValueIndexBuilder over chunks equals the reference: sorted or not, codes above 31 or more labels than codes', () => {
    const row = fc.tuple(fc.integer({ min: -1, max: 80 }), fc.integer({ min: -1, max: 39 }));
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 200 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 50 }),
        (rows, sortRows, maxCode, extraLabels, chunk) => {
          if (sortRows) rows.sort((a, b) => a[0] - b[0]);
          const iins = Float64Array.from(rows, ([iin]) => (iin < 0 ? -1 : 900101000000 + iin));
          const codes = Int32Array.from(rows, ([, code]) => (code < 0 ? -1 : code % maxCode));
          const labelCount = Math.max(maxCode, extraLabels); // labels no row uses, as a dictionary may list
          const builder = new ValueIndexBuilder(rows.length);
          for (let from = 0; from < rows.length; from += chunk) {
            const to = Math.min(rows.length, from + chunk);
            builder.add(iins.slice(from, to), codes.slice(from, to), to - from);
          }
          const built = builder.finish(LABELS.slice(0, labelCount));
          // Rows with a negative IIN are no IIN: the builder skips them.
          const kept = [...iins.keys()].filter((r) => iins[r]! >= 0);
          const expected = naiveIndex(
            kept.map((r) => iins[r]!),
            kept.map((r) => codes[r]!),
            labelCount,
          );
          expect([...built.iins]).toEqual(expected.iins);
          expect([...built.index.masks]).toEqual(expected.masks);
          expect(built.index.counts).toEqual(expected.counts);
          expect(built.index.words).toBe(Math.max(1, Math.ceil(labelCount / 32)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it(
    'ValueIndexBuilder on rows in no order over many IIN buckets equals the reference, also when a late row does not fit a bucket key',
    () => {
      // IINs around a few bucket starts (2^28 apart) with repeats, so buckets fill several 1,024-key blocks; then
      // maybe one late row with a code above 15, an IIN beyond 40 bits or a fraction, after which the builder
      // must keep every row some other way.
      const bucketStarts = [0, 3355, 3356, 3725].map((b) => b * 2 ** 28);
      const row = fc.tuple(
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: -1, max: 15 }),
      );
      const late = fc.option(
        fc.tuple(
          fc.constantFrom([900101300007, 20], [2 ** 41, 1], [900101300007.5, 1], [-1, 3]),
          fc.double({ min: 0, max: 1, noNaN: true }),
        ),
      );
      fc.assert(
        fc.property(
          fc.array(row, { minLength: 1, maxLength: 6000, size: 'max' }),
          late,
          fc.integer({ min: 1, max: 3000 }),
          (rows, lateRow, chunk) => {
            const iins = rows.map(([b, offset]) => bucketStarts[b]! + offset * 7);
            const codes = rows.map(([, , code]) => code);
            if (lateRow) {
              const at = Math.floor(lateRow[1] * iins.length);
              iins.splice(at, 0, lateRow[0][0]!);
              codes.splice(at, 0, lateRow[0][1]!);
            }
            const rowIins = Float64Array.from(iins);
            const rowCodes = Int32Array.from(codes);
            const builder = new ValueIndexBuilder(iins.length);
            for (let from = 0; from < iins.length; from += chunk) {
              const to = Math.min(iins.length, from + chunk);
              builder.add(rowIins.slice(from, to), rowCodes.slice(from, to), to - from);
            }
            const labelCount = 21;
            const built = builder.finish(LABELS.slice(0, labelCount));
            const kept = [...rowIins.keys()].filter((r) => rowIins[r]! >= 0);
            const expected = naiveIndex(
              kept.map((r) => rowIins[r]!),
              kept.map((r) => rowCodes[r]!),
              labelCount,
            );
            expect([...built.iins]).toEqual(expected.iins);
            expect([...built.index.masks]).toEqual(expected.masks);
            expect(built.index.counts).toEqual(expected.counts);
          },
        ),
        // Shrinking thousands of rows would take many minutes: a failure is reported as found.
        { numRuns: 60, endOnFailure: true },
      );
    },
    HEAVY_TEST_MS,
  );

  it('indexVectors equals the reference for 0 to 40 sorted vectors, and for a vector that is not sorted', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 60 }), { maxLength: 40 }),
        fc.boolean(),
        (lists, breakOne) => {
          const vectors = lists.map((list) => sortUnique(list.map((x) => 900101000000 + x)));
          if (breakOne && vectors[0] && vectors[0].length > 1) vectors[0].reverse(); // not the contract, still right
          const built = indexVectors(vectors);
          const iins = vectors.flatMap((v) => [...v]);
          const codes = vectors.flatMap((v, k) => Array.from(v, () => k));
          const expected = naiveIndex(iins, codes, vectors.length);
          expect([...built.iins]).toEqual(expected.iins);
          expect([...built.index.masks]).toEqual(expected.masks);
          expect(built.index.counts).toEqual(expected.counts);
          expect(built.index.labels).toEqual(vectors.map((_, k) => String(k)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('buildValueIndex handles values beyond 40 bits and fractions through the generic sort', () => {
    const iins = Float64Array.from([2 ** 45, 3.5, 2 ** 45, 7, 3.5, 2 ** 41 + 1]);
    const codes = Int32Array.from([0, 1, 1, -1, 0, 1]);
    const built = buildValueIndex(iins, codes, ['a', 'b']);
    const expected = naiveIndex(iins, codes, 2);
    expect([...built.iins]).toEqual(expected.iins);
    expect([...built.index.masks]).toEqual(expected.masks);
    expect(built.index.counts).toEqual(expected.counts);
  });

  it('matches a wanted value to a label ignoring case when no label is exactly it', () => {
    const n = 10_000;
    const built = buildValueIndex(
      Float64Array.from({ length: n }, (_, i) => i * 2),
      Int32Array.from({ length: n }, (_, i) => i % 2),
      ['a', 'b'],
    );
    const { mask, unknown } = maskForValues(built.index, ['B']);
    expect(unknown).toEqual([]);
    const holders = holdersOf(built, mask);
    expect(holders.length).toBe(n / 2);
    expect([...holders.subarray(0, 3)]).toEqual([2, 6, 10]);
    expect(maskForValues(built.index, ['c']).unknown).toEqual(['c']);
  });
});
