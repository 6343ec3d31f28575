import { Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeColumnIins } from './arrow-iins';

/** What a text cell means, read the obvious way: spaces around allowed, 1-12 ASCII digits, else no IIN (-1). */
function naive(cell: string | null): number {
  if (cell === null) return -1;
  const text = cell.replace(/^ +| +$/g, '');
  return /^[0-9]{1,12}$/.test(text) ? Number(text) : -1;
}

describe('IINs from text columns', () => {
  it('equals the obvious parse for 12-character cells (read as words or bytes) and every other shape', () => {
    // Bytes next to the digit range ('/' 0x2F, ':' 0x3A) and cells of 11-13 characters move later 12-character
    // cells off the 4-byte boundary, so both the word path and the byte path are taken.
    const nearDigits = fc.constantFrom(...'0123456789012345678901234567890123456789/:');
    const char = fc.constantFrom(...'0123456789 /:XШ');
    const cell = fc.oneof(
      { weight: 5, arbitrary: fc.string({ unit: nearDigits, minLength: 12, maxLength: 12 }) },
      { weight: 3, arbitrary: fc.string({ unit: char, minLength: 11, maxLength: 13 }) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 10, maxLength: 80 }), (cells) => {
        const column = vectorFromArray(cells, new Utf8());
        const out = new Float64Array(cells.length);
        const invalid = writeColumnIins(column, out);
        const expected = cells.map(naive);
        expect([...out]).toEqual(expected);
        expect(invalid).toBe(expected.filter((v) => v < 0).length);
      }),
      { numRuns: 300 },
    );
  });
});
