import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeIin } from '../iin';
import { iinStratum } from '../index';
import { splitControlGroup } from './control-group';

const asOf = new Date('2026-01-01T00:00:00Z');

/** Valid IINs spread over birth years and both sexes (digit 7: 3/4 for the 1900s, 5/6 for the 2000s). */
function audience(size: number, salt = 0): number[] {
  const out: number[] = [];
  for (let k = 0; out.length < size; k++) {
    const yy = (k * 7 + salt) % 100;
    const century = yy < 20 ? 5 + (k % 2) : 3 + (k % 2);
    const first11 = `${String(yy).padStart(2, '0')}0${1 + (k % 9)}1${k % 10}${century}${String(k % 10000).padStart(4, '0')}`;
    const iin = completeIin(first11);
    if (iin !== null) out.push(Number(iin));
  }
  return out;
}

describe('splitControlGroup', () => {
  it('is deterministic for a seed and independent of input order and duplicates', () => {
    const iins = audience(3_000);
    const first = splitControlGroup(iins, { share: 0.1, seed: 'C000012345', asOf });
    const shuffled = [...iins].reverse().concat(iins.slice(0, 50));
    const again = splitControlGroup(shuffled, { share: 0.1, seed: 'C000012345', asOf });
    expect([...again.control]).toEqual([...first.control]);
    expect([...again.target]).toEqual([...first.target]);
    const otherSeed = splitControlGroup(iins, { share: 0.1, seed: 'C000012346', asOf });
    expect([...otherSeed.control]).not.toEqual([...first.control]);
  });

  it('holds back the share within rounding in every sex x age stratum, and partitions the audience', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.string(),
        (size, share, seed) => {
          const iins = audience(size, size);
          const split = splitControlGroup(iins, { share, seed, asOf });
          expect(split.control.length + split.target.length).toBe(new Set(iins).size);
          const control = new Set(split.control);
          expect(split.target.some((x) => control.has(x))).toBe(false);
          for (const s of split.strata) {
            expect(s.control).toBe(Math.round(s.total * share));
            const members = [...new Set(iins)].filter((x) => iinStratum(x, asOf) === s.stratum);
            expect(members.length).toBe(s.total);
            expect(members.filter((x) => control.has(x)).length).toBe(s.control);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('uses strata given per IIN instead of sex x age', () => {
    const iins = audience(1_000);
    const region = (iin: number) => (iin % 3 === 0 ? 'north' : 'south');
    const split = splitControlGroup(iins, { share: 0.25, seed: 's', strata: region });
    expect(split.strata.map((s) => s.stratum).sort()).toEqual(['north', 'south']);
    for (const s of split.strata) expect(s.control).toBe(Math.round(s.total * 0.25));
  });

  it('rejects a share outside [0, 1)', () => {
    expect(() => splitControlGroup([1], { share: 1, seed: 's' })).toThrow(RangeError);
  });
});
