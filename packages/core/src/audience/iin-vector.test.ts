import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSortedUnique, positionOf, sortUnique, unionAll } from './iin-vector';

/** Large property tests: a shared, loaded machine takes several times their quiet 2-5 s. */
const HEAVY_TEST_MS = 60_000;

// IIN-like values (< 10^12) plus a few larger ones that take the native-sort path.
const iin = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 0, max: 999_999 }).map((k) => k * 1_000_003) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 30 }).map((k) => k * 2 ** 22) },
);
const list = fc.array(iin, { maxLength: 200 });
/** Lists short enough for the native sort, and long enough for the radix sort (from 1,024 values). */
const anyLength = fc.oneof(list, fc.array(iin, { minLength: 1024, maxLength: 2500 }));
const naiveSorted = (values: Iterable<number>) => [...new Set(values)].sort((a, b) => a - b);

describe('sorted IIN vectors', () => {
  it('sortUnique equals a Set-based sort, whatever the order and duplicates', () => {
    fc.assert(
      fc.property(anyLength, (values) => {
        const out = sortUnique(values);
        expect([...out]).toEqual(naiveSorted(values));
        expect(isSortedUnique(out)).toBe(true);
      }),
    );
  });

  it('sorts a large shuffled list with duplicates (radix path)', () => {
    const values = Array.from(
      { length: 50_000 },
      (_, i) => ((i * 7919) % 40_000) * 24_999_989 + 900101300007,
    );
    expect([...sortUnique(values)]).toEqual(naiveSorted(values));
    const typed = Float64Array.from(values);
    expect([...sortUnique(typed)]).toEqual(naiveSorted(values));
    expect([...typed]).toEqual(values); // the caller's array is left as it was
  });

  it(
    'sorts 200k values clustered like IINs or spread evenly (bucket radix path) like the native sort',
    () => {
      let seed = 7;
      const random = () => {
        seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
        return seed / 4_294_967_296;
      };
      const clustered = Array.from({ length: 200_000 }, () => {
        const yymmdd = Math.floor(random() * 100) * 10_000 + (1 + Math.floor(random() * 12)) * 100 + 1;
        return yymmdd * 1e6 + Math.floor(random() * 1e6);
      });
      const even = Array.from({ length: 200_000 }, () => Math.floor(random() * 1e12));
      const oneBirthday = Array.from(
        { length: 100_000 },
        () => 900_101_000_000 + Math.floor(random() * 2 ** 27),
      );
      for (const values of [clustered, even, [...clustered, ...clustered], oneBirthday]) {
        expect([...sortUnique(values)]).toEqual(naiveSorted(values));
      }
    },
    HEAVY_TEST_MS,
  );

  it('unionAll equals a Set-based union of any number of vectors', () => {
    fc.assert(
      fc.property(fc.array(list, { maxLength: 6 }), (lists) => {
        const vectors = lists.map((l) => sortUnique(l));
        const union = unionAll(vectors);
        expect([...union]).toEqual(naiveSorted(lists.flat()));
        // A single vector comes back as a copy: the caller's vector is never shared with the result.
        if (vectors.length === 1 && union.length > 0) expect(union).not.toBe(vectors[0]);
      }),
    );
  });

  it('positionOf finds each member where a linear search does, and no non-member', () => {
    fc.assert(
      fc.property(list, list, (members, probes) => {
        const vector = sortUnique(members);
        const plain = [...vector];
        for (const x of [...probes, ...members]) expect(positionOf(vector, x)).toBe(plain.indexOf(x));
      }),
    );
  });
});
