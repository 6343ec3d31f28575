import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvText } from './rules';

describe('csvCell', () => {
  it('keeps a spreadsheet from running a cell as a formula', () => {
    for (const text of ['=1+1', '+7', '-3', '@SUM(A1)', '\tx', '=HYPERLINK("http://x","click")'])
      expect(csvCell(text).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('900101300007')).toBe('900101300007');
  });

  it('reads back as the text (after the guard) for any string, per RFC 4180 quoting', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const cell = csvCell(text);
        const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replaceAll('""', '"') : cell;
        expect(unquoted).toBe(/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
        if (!cell.startsWith('"')) expect(cell).not.toMatch(/[",;\n\r]/);
      }),
    );
  });

  it('writes rows with a BOM and CRLF', () => {
    expect(
      csvText([
        ['iin', 'group'],
        ['900101300007', 'target'],
      ]),
    ).toBe('\uFEFFiin,group\r\n900101300007,target\r\n');
  });
});
