import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IinSetBuilder } from './iin-set-build';

/** Large property tests: a shared, loaded machine takes several times their quiet 1-3 s. */
const HEAVY_TEST_MS = 60_000;

/** The reference: the distinct non-negative values, ascending. */
function naiveSet(values: readonly number[]): number[] {
  return [...new Set(values.filter((v) => v >= 0))].sort((a, b) => a - b);
}

function built(values: readonly number[], chunk: number): number[] {
  const all = Float64Array.from(values);
  const builder = new IinSetBuilder(values.length);
  for (let from = 0; from < values.length; from += chunk) {
    const to = Math.min(values.length, from + chunk);
    builder.add(all.slice(from, to), to - from);
  }
  return [...builder.finish()];
}

describe('IinSetBuilder', () => {
  it(
    'equals a Set-based reference: rows sorted or in no order over many IIN buckets, repeats, no-IIN rows, a late IIN no bucket key holds',
    () => {
      // IINs around a few bucket starts (2^28 apart) with repeats, so buckets fill several 1,024-key blocks; then
      // maybe one late value beyond 40 bits or a fraction, after which the builder must keep every IIN otherwise.
      const bucketStarts = [0, 3355, 3356, 3725].map((b) => b * 2 ** 28);
      const row = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -1, max: 3000 }));
      const late = fc.option(
        fc.tuple(fc.constantFrom(2 ** 41, 900101300007.5, -1), fc.double({ min: 0, max: 1, noNaN: true })),
      );
      fc.assert(
        fc.property(
          fc.array(row, { maxLength: 6000, size: 'max' }),
          fc.boolean(),
          late,
          fc.integer({ min: 1, max: 3000 }),
          (rows, sortRows, lateRow, chunk) => {
            const values = rows.map(([b, offset]) => (offset < 0 ? -1 : bucketStarts[b]! + offset * 7));
            if (sortRows) values.sort((x, y) => x - y);
            if (lateRow) values.splice(Math.floor(lateRow[1] * values.length), 0, lateRow[0]);
            expect(built(values, chunk)).toEqual(naiveSet(values));
          },
        ),
        // Shrinking thousands of rows would take many minutes: a failure is reported as found.
        { numRuns: 80, endOnFailure: true },
      );
    },
    HEAVY_TEST_MS,
  );

  it('keeps every IIN of a file whose first chunk is in order and a later one is not, and of an empty file', () => {
    const first = [900101300007, 900101300007, 900102400001];
    const later = [900101300015, 12, 900102400001, -1];
    expect(built([...first, ...later], first.length)).toEqual(naiveSet([...first, ...later]));
    expect(built([], 5)).toEqual([]);
  });
});
