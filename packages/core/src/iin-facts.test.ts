import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  completeIin,
  IIN_STRATA,
  iinAge,
  iinAgeBand,
  iinBirthYear,
  iinSex,
  iinStratum,
  iinStratumIndex,
} from './index';

const iinOf = (first11: string) => Number(completeIin(first11));
const asOf = new Date('2026-11-26T00:00:00Z');

describe('IIN facts', () => {
  it('reads sex and birth year from digit 7 and digits 1-2', () => {
    const man1990 = iinOf('90010130000'); // digit 7 = 3: 1900s, male
    expect([iinSex(man1990), iinBirthYear(man1990)]).toEqual(['M', 1990]);
    const woman2005 = iinOf('05031260000'); // 6: 2000s, female
    expect([iinSex(woman2005), iinBirthYear(woman2005)]).toEqual(['F', 2005]);
    const woman1899 = iinOf('99123120000'); // 2: 1800s, female
    expect([iinSex(woman1899), iinBirthYear(woman1899)]).toEqual(['F', 1899]);
  });

  it('says unknown (not an error) when digit 7 is outside 1-6', () => {
    const odd = iinOf('90010170000');
    expect([iinSex(odd), iinBirthYear(odd), iinAgeBand(odd, asOf), iinStratum(odd, asOf)]).toEqual([
      null,
      null,
      'unknown',
      'U|unknown',
    ]);
  });

  it('counts age in whole years: the birthday on asOf counts, the day after does not', () => {
    expect(iinAge(iinOf('01112650000'), asOf)).toBe(25); // born 2001-11-26
    expect(iinAge(iinOf('01112750000'), asOf)).toBe(24); // born 2001-11-27
    expect(iinAgeBand(iinOf('01112650000'), asOf)).toBe('25-34');
    expect(iinAgeBand(iinOf('01112750000'), asOf)).toBe('<25');
  });

  it('puts ages into the documented bands', () => {
    const bandForYear = (yy: string, centuryDigit: string) =>
      iinAgeBand(iinOf(`${yy}0101${centuryDigit}0000`), asOf);
    expect(bandForYear('92', '3')).toBe('25-34'); // 34
    expect(bandForYear('91', '3')).toBe('35-44'); // 35
    expect(bandForYear('72', '4')).toBe('45-54');
    expect(bandForYear('62', '4')).toBe('55-64'); // 64
    expect(bandForYear('61', '4')).toBe('65+'); // 65
    expect(bandForYear('30', '5')).toBe('unknown'); // born 2030: after asOf
  });

  it('stratum index and stratum name agree for any IIN', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 - 1 }), (iin) => {
        const stratum = iinStratum(iin, asOf);
        expect(IIN_STRATA[iinStratumIndex(iin, asOf)]).toBe(stratum);
        expect(stratum).toBe(`${iinSex(iin) ?? 'U'}|${iinAgeBand(iin, asOf)}`);
      }),
    );
  });
});
