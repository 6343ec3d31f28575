import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildValueIndex, holdersOfLabel, keepHolders, maskForValues, sortUnique } from '../index';

const LABELS = Array.from({ length: 40 }, (_, i) => `value-${i}`); // more than 32: two mask words

describe('value index', () => {
  it('keepHolders equals a Set-based filter, sorted or unsorted rows, one or two mask words', () => {
    const row = fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -1, max: LABELS.length - 1 }));
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 300 }),
        fc.subarray(LABELS),
        fc.boolean(),
        (rows, current, wanted, sortRows) => {
          if (sortRows) rows.sort((a, b) => a[0] - b[0]);
          const built = buildValueIndex(
            Float64Array.from(rows, ([iin]) => iin),
            Int32Array.from(rows, ([, code]) => code),
            LABELS,
          );
          const wantedCodes = new Set(wanted.map((w) => LABELS.indexOf(w)));
          const holders = new Set(rows.filter(([, code]) => wantedCodes.has(code)).map(([iin]) => iin));
          const vector = sortUnique(current);
          const { mask } = maskForValues(built.index, wanted);
          expect([...keepHolders(vector, built, mask)]).toEqual([...vector].filter((x) => holders.has(x)));
          const own = vector.slice();
          expect([...keepHolders(own, built, mask, true)]).toEqual([...vector].filter((x) => holders.has(x)));
          for (const [code, label] of LABELS.entries()) {
            const expected = sortUnique(rows.filter(([, c]) => c === code).map(([iin]) => iin));
            expect([...holdersOfLabel(built, label)]).toEqual([...expected]);
            expect(built.index.counts[code]).toBe(expected.length);
          }
        },
      ),
    );
  });

  it('gallops when the audience is much smaller than the dataset', () => {
    const n = 10_000;
    const built = buildValueIndex(
      Float64Array.from({ length: n }, (_, i) => i * 2),
      Int32Array.from({ length: n }, (_, i) => i % 2),
      ['a', 'b'],
    );
    const { mask } = maskForValues(built.index, ['B']); // case-insensitive fallback
    expect([...keepHolders(sortUnique([2, 3, 4, 6, 19_998]), built, mask)]).toEqual([2, 6, 19_998]);
  });
});
