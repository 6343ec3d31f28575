// Test support for the filter pipeline's properties: a small IIN universe, so that random lists overlap often
// and some IINs appear in no dataset at all. A third sit in the first index bucket, a third in a middle one, a
// third at the very top (the merged index buckets IINs by their top bits, indexed-pass.ts).
import fc from 'fast-check';

export const bucketSpreadIin = fc
  .integer({ min: 1, max: 60 })
  .map((k) => [900101300000 + k, 7 * 2 ** 28 + 16_384 * k + k, 999_999_999_939 + k][k % 3]!);

export const bucketSpreadIins = fc.array(bucketSpreadIin, { maxLength: 40 });

/** (IIN, value) rows of a value dataset, IINs from the same universe. */
export const bucketSpreadValueRows = (values: string[]) =>
  fc.array(fc.tuple(bucketSpreadIin, fc.constantFrom(...values)), { maxLength: 60 });
