import { describe, expect, it } from 'vitest';
import { rejectedRowsCsv } from './rejected-csv';

describe('rejectedRowsCsv', () => {
  it('lists every rejected row with its number, value and reason, opening in Excel as UTF-8', () => {
    const csv = rejectedRowsCsv([
      { row: 12, value: '12345', reason: 'length', message: 'An IIN has 12 digits, this one 5' },
      { row: 25, value: 'a,"b"', reason: 'non_digit', message: 'Only digits; found "a"' },
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1).split('\r\n')).toEqual([
      'row,value,reason,message',
      '12,12345,length,"An IIN has 12 digits, this one 5"',
      '25,"a,""b""",non_digit,"Only digits; found ""a"""',
      '',
    ]);
  });

  it('neutralises values a spreadsheet would run as formulas', () => {
    const csv = rejectedRowsCsv([{ row: 3, value: '=HYPERLINK("x")', reason: 'non_digit', message: 'm' }]);
    expect(csv).toContain(`3,"'=HYPERLINK(""x"")",non_digit,m`);
  });

  it('neutralises a value that starts with a tab or a carriage return, as the audience export does', () => {
    // One cell rule for every CSV the service writes (core's csvCell); this file's own copy let these through.
    const csv = rejectedRowsCsv([{ row: 4, value: '\t=1+1', reason: 'non_digit', message: 'm' }]);
    expect(csv).toContain(`4,'\t=1+1,non_digit,m`);
  });
});
