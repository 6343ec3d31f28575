import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSample } from './rules';

/** A seeded source in [0, 1) (mulberry32), so a failing case repeats. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('drawSample', () => {
  it('gives min(k, n) distinct positions in [0, n), ascending', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.nat(40), fc.integer(), (n, k, seed) => {
        const drawn = drawSample(n, k, seeded(seed));
        expect(drawn).toHaveLength(Math.min(n, k));
        expect(new Set(drawn).size).toBe(drawn.length);
        expect(drawn.every((i) => Number.isInteger(i) && i >= 0 && i < n)).toBe(true);
        expect([...drawn].sort((x, y) => x - y)).toEqual(drawn);
      }),
    );
  });

  it('is the same draw for the same seed, and another for another seed', () => {
    expect(drawSample(1_000_000, 20, seeded(7))).toEqual(drawSample(1_000_000, 20, seeded(7)));
    expect(drawSample(1_000_000, 20, seeded(7))).not.toEqual(drawSample(1_000_000, 20, seeded(8)));
  });

  it('picks every member equally often (each of 10 positions about 3 in 10 draws of 3)', () => {
    const random = seeded(42);
    const hits = new Array<number>(10).fill(0);
    const draws = 20_000;
    for (let i = 0; i < draws; i++) for (const p of drawSample(10, 3, random)) hits[p]!++;
    // Expected 6,000 each; the binomial's standard deviation is ~65, so 5 of them is a wide margin.
    for (const h of hits) expect(Math.abs(h - 6000)).toBeLessThan(325);
  });

  it('refuses counts that are not whole and non-negative', () => {
    expect(() => drawSample(-1, 2, Math.random)).toThrow(RangeError);
    expect(() => drawSample(3, 1.5, Math.random)).toThrow(RangeError);
  });
});
