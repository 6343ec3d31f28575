import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicateValues } from './duplicate-values';

function referenceDuplicates(values: number[]): number[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([value]) => value);
}

const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

describe('findDuplicateValues', () => {
  it('agrees with a Map count on random vectors, small and large value ranges', () => {
    const vector = fc.oneof(
      fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 200 }),
      fc.array(fc.integer({ min: 0, max: 1e12 - 1 }), { maxLength: 200 }),
      fc.array(fc.constantFrom(0, 900101300007, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 - 1), {
        maxLength: 20,
      }),
    );
    fc.assert(
      fc.property(vector, (values) => {
        const found = findDuplicateValues(Float64Array.from(values));
        const expected = referenceDuplicates(values);
        expect(found === null ? [] : sorted(found)).toEqual(sorted(expected));
        expect(found === null).toBe(expected.length === 0);
      }),
    );
  });

  it('refuses values it cannot hold exactly in its 4-byte partition', () => {
    expect(() => findDuplicateValues(Float64Array.of(1, 2 ** 40))).toThrow(RangeError);
    expect(() => findDuplicateValues(Float64Array.of(1, -1))).toThrow(RangeError);
  });

  it('finds the few repeats among a million distinct IIN-sized values', () => {
    const values = new Float64Array(1_000_000);
    for (let i = 0; i < values.length; i++) values[i] = 900_000_000_000 + i * 7919;
    expect(findDuplicateValues(values)).toBeNull();
    values[999_999] = values[3]!;
    values[500_000] = values[3]!;
    values[10] = values[20]!;
    expect(sorted(findDuplicateValues(values) ?? [])).toEqual(sorted([values[3]!, values[20]!]));
  });
});
