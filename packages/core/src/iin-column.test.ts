import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { completeIin, parseIinColumn, validateIin } from './index';
import { digitString, referenceCheckDigit } from './testing/iin-reference';

type Cell = string | number | null | undefined;

// A plain reference: regexes, strings and a Set, written from docs/ARCHITECTURE.md "Domain" without looking at the fast code.
function referenceValidate(cell: Cell): { iin: string } | { reason: string } {
  if (cell === null || cell === undefined) return { reason: 'empty' };
  let text: string;
  if (typeof cell === 'number') {
    if (!Number.isInteger(cell) || cell < 0) return { reason: 'non_digit' };
    if (cell >= 1e12) return { reason: 'length' }; // more than 12 digits (String() would print 1e+21)
    text = String(cell);
  } else {
    if (cell.length > 64) return { reason: 'length' };
    text = cell.replace(/\s/g, '');
  }
  if (text === '') return { reason: 'empty' };
  if (/^[+-]?\d+([.,]\d*)?[eE][+-]?\d+$/.test(text)) return { reason: 'scientific_notation' };
  if (!/^\d+$/.test(text)) return { reason: 'non_digit' };
  if (text.length >= 9 && text.length <= 11) {
    const padded = text.padStart(12, '0');
    return referenceCheckDigit(padded.slice(0, 11)) === Number(padded[11])
      ? { iin: padded }
      : { reason: 'length' };
  }
  if (text.length !== 12) return { reason: 'length' };
  const expected = referenceCheckDigit(text.slice(0, 11));
  if (expected === null) return { reason: 'never_issued' };
  return expected === Number(text[11]) ? { iin: text } : { reason: 'check_digit' };
}

function referenceParse(cells: Cell[], firstRow: number) {
  const seen = new Set<string>();
  const iins: string[] = [];
  const rejected: Array<{ row: number; reason: string }> = [];
  cells.forEach((cell, index) => {
    const result = referenceValidate(cell);
    const row = firstRow + index;
    if ('reason' in result) rejected.push({ row, reason: result.reason });
    else if (seen.has(result.iin)) rejected.push({ row, reason: 'duplicate' });
    else {
      seen.add(result.iin);
      iins.push(result.iin);
    }
  });
  return { iins, rejected };
}

const validIin = digitString(11, 11)
  .map((first11) => completeIin(first11))
  .filter((iin): iin is string => iin !== null);
const validIinWithLostZero = digitString(10, 10)
  .map((rest) => completeIin(`0${rest}`))
  .filter((iin): iin is string => iin !== null)
  .map((iin) => iin.slice(1));
// Born in 2000 (two zeros lost) and January-September 2000 (three).
const validIinWithZerosLost = fc
  .tuple(fc.constantFrom(2, 3), digitString(9, 9))
  .map(([lost, rest]) => ({ lost, iin: completeIin(`${'0'.repeat(lost)}${rest}`.slice(0, 11)) }))
  .filter((v): v is { lost: 2 | 3; iin: string } => v.iin !== null)
  .map(({ lost, iin }) => iin.slice(lost));

const cellArbitrary: fc.Arbitrary<Cell> = fc.oneof(
  { weight: 5, arbitrary: validIin },
  { weight: 1, arbitrary: validIin.map((iin) => ` ${iin.slice(0, 6)} ${iin.slice(6)}\u00a0`) },
  { weight: 1, arbitrary: validIin.map((iin) => Number(iin)) },
  { weight: 2, arbitrary: validIinWithLostZero },
  { weight: 1, arbitrary: validIinWithLostZero.map((text) => Number(text)) },
  { weight: 1, arbitrary: validIinWithZerosLost },
  { weight: 1, arbitrary: validIinWithZerosLost.map((text) => Number(text)) },
  { weight: 1, arbitrary: fc.string({ minLength: 60, maxLength: 70 }) },
  { weight: 2, arbitrary: digitString(12, 12) },
  { weight: 1, arbitrary: digitString(0, 14) },
  { weight: 1, arbitrary: validIin.map((iin) => `${iin[0]}.${iin.slice(1, 6)}E+11`) },
  { weight: 1, arbitrary: validIin.map((iin) => `${iin[0]},${iin.slice(1, 6)}e11`) },
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789 eE.,+-aЖ\t'), maxLength: 14 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 13 }) },
  { weight: 1, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.integer({ min: 0, max: 10 ** 15 })) },
  { weight: 1, arbitrary: fc.constantFrom(null, undefined, '', '   ') },
);

// Columns with repeats: some cells copied to later positions, as in a file with duplicate rows.
const columnArbitrary = fc
  .tuple(fc.array(cellArbitrary, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 20 }))
  .map(([cells, picks]) => {
    const column = [...cells];
    for (const pick of picks)
      if (column.length > 0) column.splice(pick % (column.length + 1), 0, column[pick % column.length]);
    return column;
  });

describe('parseIinColumn', () => {
  it('agrees with a plain regex + Set reference on random mixes of cells', () => {
    fc.assert(
      fc.property(columnArbitrary, fc.integer({ min: 0, max: 5 }), (column, firstRow) => {
        const report = parseIinColumn(column, { firstRowNumber: firstRow });
        const expected = referenceParse(column, firstRow);
        expect([...report.iins].map((n) => String(n).padStart(12, '0'))).toEqual(expected.iins);
        expect(report.rejected.map(({ row, reason }) => ({ row, reason }))).toEqual(expected.rejected);
        expect(report.accepted).toBe(expected.iins.length);
        expect(report.duplicates).toBe(expected.rejected.filter((r) => r.reason === 'duplicate').length);
        expect(report.accepted + report.rejected.length).toBe(column.length);
      }),
      { numRuns: 600 },
    );
  });

  it('reports every rejected row with its row number, reason and the row a duplicate repeats', () => {
    const column = ['IIN-less header?', '900101300007', '900101300008', '', '900101300811', ' 900101300007 '];
    const report = parseIinColumn(column, { firstRowNumber: 2 });
    expect([...report.iins]).toEqual([900101300007, 900101300811]);
    expect(report.rejected).toEqual([
      expect.objectContaining({ row: 2, value: 'IIN-less header?', reason: 'non_digit' }),
      expect.objectContaining({ row: 4, value: '900101300008', reason: 'check_digit' }),
      expect.objectContaining({ row: 5, value: '', reason: 'empty' }),
      expect.objectContaining({ row: 7, value: ' 900101300007 ', reason: 'duplicate' }),
    ]);
    expect(report.rejected[3]!.message).toContain('row 3');
    expect(report).toMatchObject({ total: 6, accepted: 2, duplicates: 1 });
  });

  it('takes spreadsheet numbers, restoring a lost leading zero, and counts the warnings', () => {
    const full = completeIin('05031250012')!;
    const report = parseIinColumn([Number(full), 900101300007, 1.23457e11, null]);
    expect([...report.iins]).toEqual([Number(full), 900101300007]);
    expect(report.warnings).toEqual([expect.objectContaining({ row: 1, code: 'IIN.LEADING_ZERO_RESTORED' })]);
    expect(report.rejected.map((r) => [r.row, r.reason])).toEqual([
      [3, 'check_digit'],
      [4, 'empty'],
    ]);
  });

  it('warns about exactly the rows validateIin warns about, except repeats of an earlier row', () => {
    const anyValid = fc.oneof(validIin, validIinWithLostZero, validIin.map(Number));
    const withRepeats = fc
      .tuple(fc.array(anyValid, { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }))
      .map(([cells, picks]) => [
        ...cells,
        ...picks.flatMap((pick) => (cells.length > 0 ? [cells[pick % cells.length]!] : [])),
      ]);
    fc.assert(
      fc.property(withRepeats, fc.integer({ min: 0, max: 3 }), (column, maxWarnings) => {
        const report = parseIinColumn(column, { maxWarnings });
        const seen = new Set<string>();
        const expected: Array<{ row: number; code: string }> = [];
        column.forEach((cell, index) => {
          const result = validateIin(cell);
          if (!result.ok || seen.has(result.value)) return;
          seen.add(result.value);
          for (const warning of result.warnings) expected.push({ row: index + 1, code: warning.code });
        });
        expect(report.warnings.map(({ row, code }) => ({ row, code }))).toEqual(
          expected.slice(0, maxWarnings),
        );
        const counted = Object.values(report.warningCounts).reduce((sum, count) => sum + count, 0);
        expect(counted).toBe(expected.length);
      }),
    );
  });

  it('lists odd dates as warnings up to maxWarnings but counts them all', () => {
    const odd = completeIin('90130130000')!; // month 13
    const report = parseIinColumn([odd, completeIin('90133130000')!, completeIin('90143130000')!], {
      maxWarnings: 2,
    });
    expect(report.accepted).toBe(3);
    expect(report.warnings).toHaveLength(2);
    expect(report.warningCounts['IIN.IMPOSSIBLE_DATE']).toBe(3);
  });

  it('returns an empty report for an empty column', () => {
    expect(parseIinColumn([])).toMatchObject({
      total: 0,
      accepted: 0,
      duplicates: 0,
      rejected: [],
      warnings: [],
    });
  });
});
