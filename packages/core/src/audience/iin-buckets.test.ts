import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BucketSortScratch,
  IIN_BUCKET_SCALE,
  IIN_BUCKETS,
  scatterIntoBuckets,
  sortBucket,
} from './iin-buckets';

/** Keys of one bucket: 28 sorted bits from `shift` up, the bits below riding along (a value index's codes). */
const bucketKeys = (shift: number) =>
  fc.array(fc.integer({ min: 0, max: 2 ** (28 + shift) - 1 }), { maxLength: 5000, size: 'max' });

/** Keys in one of the orders the callers give: any, ascending (a stored audience), ascending but for one pair. */
const orderedKeys = (shift: number) =>
  fc
    .tuple(bucketKeys(shift), fc.constantFrom('any', 'ascending', 'one pair swapped'), fc.nat())
    .map(([keys, order, at]) => {
      if (order === 'any') return keys;
      const sorted = [...keys].sort((a, b) => a - b);
      if (order === 'one pair swapped' && sorted.length > 1) {
        const i = at % (sorted.length - 1);
        [sorted[i], sorted[i + 1]] = [sorted[i + 1]!, sorted[i]!];
      }
      return sorted;
    });

function sorted(keys: number[], shift: number): number[] {
  const input = Uint32Array.from([7, ...keys, 7]); // the bucket is a range inside a larger array
  const out = new Uint32Array(keys.length);
  const k = sortBucket(input, 1, keys.length + 1, out, new BucketSortScratch(keys.length), shift);
  expect(k).toBe(keys.length);
  return [...out];
}

describe('sortBucket', () => {
  for (const shift of [0, 4]) {
    it(`orders a bucket by its bits from ${shift} up and keeps every key, in any input order`, () => {
      fc.assert(
        fc.property(orderedKeys(shift), (keys) => {
          const out = sorted(keys, shift);
          expect([...out].sort((a, b) => a - b)).toEqual([...keys].sort((a, b) => a - b));
          const descents = out.filter((v, i) => i > 0 && v >>> shift < out[i - 1]! >>> shift);
          expect(descents).toEqual([]);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('gives an ascending bucket back as it is', () => {
    fc.assert(
      fc.property(bucketKeys(4), (keys) => {
        const ascending = [...keys].sort((a, b) => a - b);
        expect(sorted(ascending, 4)).toEqual(ascending);
      }),
      { numRuns: 40 },
    );
  });
});

/** IIN-sized integers, many of them at a bucket's edges (where an off-by-one in the bucket of a value shows). */
const iinSized = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 40 - 1 }),
  fc
    .tuple(fc.integer({ min: 0, max: IIN_BUCKETS - 1 }), fc.constantFrom(-2, -1, 0, 1, 2))
    .map(([b, d]) => Math.min(2 ** 40 - 1, Math.max(0, b * IIN_BUCKET_SCALE + d))),
  fc.integer({ min: 0, max: IIN_BUCKET_SCALE + 5 }),
);

/** The naive scatter: each value's bucket by division, its low bits, buckets in order, input order within. */
function naiveScatter(values: readonly number[]): { keys: number[]; counts: number[] } {
  const buckets = Array.from({ length: IIN_BUCKETS }, () => [] as number[]);
  for (const x of values) {
    const b = Math.floor(x / IIN_BUCKET_SCALE);
    buckets[b]!.push(x - b * IIN_BUCKET_SCALE);
  }
  return { keys: buckets.flat(), counts: buckets.map((keys) => keys.length) };
}

describe('scatterIntoBuckets', () => {
  it('puts every IIN-sized integer in its bucket with its low bits, in input order, as a plain array or float64', () => {
    fc.assert(
      fc.property(fc.array(iinSized, { maxLength: 400 }), (values) => {
        const expected = naiveScatter(values);
        for (const input of [values, Float64Array.from(values)]) {
          const out = scatterIntoBuckets(input, false)!;
          expect([...out.keys]).toEqual(expected.keys);
          const counts = Array.from({ length: IIN_BUCKETS }, (_, b) => out.starts[b + 1]! - out.starts[b]!);
          expect(counts).toEqual(expected.counts);
          expect(out.starts[0]).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('refuses an input holding a value that is not an integer in [0, 2^40), wherever it stands', () => {
    const notIins = fc.constantFrom(
      -1,
      -IIN_BUCKET_SCALE,
      0.5,
      2 ** 28 + 0.25,
      2 ** 40,
      2 ** 52,
      NaN,
      Infinity,
    );
    fc.assert(
      fc.property(fc.array(iinSized, { maxLength: 50 }), notIins, fc.nat(), (values, bad, at) => {
        const input = [...values];
        input.splice(at % (input.length + 1), 0, bad);
        expect(scatterIntoBuckets(input, false)).toBeUndefined();
        expect(scatterIntoBuckets(Float64Array.from(input), false)).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
