import { describe, expect, it } from 'vitest';
import { chooseIinColumn, splitPasted } from './iin-column-choice';

describe('chooseIinColumn', () => {
  it('takes the column named like an IIN, wherever it is, and treats the first row as a header', () => {
    expect(chooseIinColumn(['name', 'ИИН', 'city'])).toEqual({ index: 1, name: 'ИИН', hasHeader: true });
    expect(chooseIinColumn(['Name', 'IIN'])).toEqual({ index: 1, name: 'IIN', hasHeader: true });
  });

  it('reads a headerless file from its first row, so the first IIN is not lost', () => {
    expect(chooseIinColumn(['900101300007', 'Aigerim'])).toEqual({ index: 0, name: 'column 1', hasHeader: false });
    expect(chooseIinColumn([900101300007])).toEqual({ index: 0, name: 'column 1', hasHeader: false });
    // A bad first value with digits is a data row to report, not a header to skip.
    expect(chooseIinColumn(['12345']).hasHeader).toBe(false);
  });

  it('takes an unnamed text header over the first column', () => {
    expect(chooseIinColumn(['clients', 'note'])).toEqual({ index: 0, name: 'clients', hasHeader: true });
  });
});

describe('splitPasted', () => {
  it('splits on new lines, commas, semicolons, tabs and spaces and drops empty pieces', () => {
    expect(splitPasted('900101300007\r\n900101300811, 12345;\tabc\n\n')).toEqual([
      '900101300007',
      '900101300811',
      '12345',
      'abc',
    ]);
  });
});
