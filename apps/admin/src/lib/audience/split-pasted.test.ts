import { describe, expect, it } from 'vitest';
import { splitPasted } from './split-pasted';

describe('splitPasted', () => {
  it('splits on new lines, commas, semicolons, tabs and spaces and drops empty pieces', () => {
    expect(splitPasted('900101300007\r\n900101300811, 12345;\tabc\n\n')).toEqual([
      '900101300007',
      '900101300811',
      '12345',
      'abc',
    ]);
  });

  it('keeps a value with a leading zero as text, so it is checked as written', () => {
    expect(splitPasted('050101500001')).toEqual(['050101500001']);
  });
});
