import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BucketSortScratch, sortBucket } from './iin-buckets';

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
