import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nonGsm7Characters, smsInfo } from './index';

describe('smsInfo', () => {
  it('counts plain Latin text as GSM-7 with the 160 / 153 boundary', () => {
    expect(smsInfo('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
      perSegment: 160,
      remainingInSegment: 0,
    });
    expect(smsInfo('a'.repeat(161))).toEqual({
      encoding: 'GSM-7',
      units: 161,
      segments: 2,
      perSegment: 153,
      remainingInSegment: 145,
    });
    expect(smsInfo('a'.repeat(306)).segments).toBe(2);
    expect(smsInfo('a'.repeat(307)).segments).toBe(3);
  });

  it('counts the extension characters ^{}\\[~]|€ as two septets each', () => {
    expect(smsInfo('^{}\\[~]|€')).toMatchObject({ encoding: 'GSM-7', units: 18, segments: 1 });
    expect(smsInfo(`${'a'.repeat(158)}€`)).toMatchObject({ units: 160, segments: 1 });
    expect(smsInfo(`${'a'.repeat(159)}€`)).toMatchObject({ units: 161, segments: 2 });
  });

  it('never splits an escape from its character across two parts', () => {
    // 152 + 2 + 152 = 306 septets: two full parts by arithmetic, but the € cannot start at septet 153 of part 1.
    expect(smsInfo(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toMatchObject({ units: 306, segments: 3 });
  });

  it('keeps the GSM-7 accents and Greek capitals in GSM-7', () => {
    expect(smsInfo('@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà')).toMatchObject({
      encoding: 'GSM-7',
      units: 42,
    });
  });

  it('switches to UCS-2 for Cyrillic, with the 70 / 67 boundary', () => {
    expect(smsInfo('Я'.repeat(70))).toEqual({
      encoding: 'UCS-2',
      units: 70,
      segments: 1,
      perSegment: 70,
      remainingInSegment: 0,
    });
    expect(smsInfo('Я'.repeat(71))).toEqual({
      encoding: 'UCS-2',
      units: 71,
      segments: 2,
      perSegment: 67,
      remainingInSegment: 63,
    });
    expect(smsInfo(`Hello ${'a'.repeat(100)} мир`)).toMatchObject({
      encoding: 'UCS-2',
      units: 110,
      segments: 2,
    });
  });

  it('counts every Kazakh letter as UCS-2', () => {
    for (const letter of 'әғқңөұүһіӘҒҚҢӨҰҮҺІ') {
      expect(smsInfo(`Salem ${letter}`)).toMatchObject({ encoding: 'UCS-2', units: 7 });
    }
  });

  it('counts an emoji as two UCS-2 units and never splits it across parts', () => {
    expect(smsInfo('Hi 😀')).toMatchObject({ encoding: 'UCS-2', units: 5, segments: 1 });
    expect(smsInfo(`${'a'.repeat(68)}😀`)).toMatchObject({ units: 70, segments: 1 });
    expect(smsInfo(`${'a'.repeat(69)}😀`)).toMatchObject({ units: 71, segments: 2 });
    expect(smsInfo(`${'a'.repeat(66)}😀${'a'.repeat(66)}`)).toMatchObject({ units: 134, segments: 3 });
  });

  it('names the characters that forced UCS-2', () => {
    expect(nonGsm7Characters('Sale -20% қазір! Қ😀 қ')).toEqual(['қ', 'а', 'з', 'і', 'р', 'Қ', '😀']);
    expect(nonGsm7Characters('All GSM {€}')).toEqual([]);
  });

  it('an empty text is zero segments', () => {
    expect(smsInfo('')).toMatchObject({ units: 0, segments: 0 });
  });

  it('agrees with the textbook arithmetic for texts of one-unit characters', () => {
    const reference = (units: number, single: number, perPart: number) =>
      units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / perPart);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abc 123.,!?'), maxLength: 700 }), (text) => {
        expect(smsInfo(text)).toMatchObject({
          encoding: 'GSM-7',
          segments: reference(text.length, 160, 153),
        });
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'абв әғқ 12.'), maxLength: 400 }), (text) => {
        const expected = text.length === 0 || /^[ 12.]*$/.test(text) ? 'GSM-7' : 'UCS-2';
        const [single, perPart] = expected === 'GSM-7' ? [160, 153] : [70, 67];
        expect(smsInfo(text)).toMatchObject({
          encoding: expected,
          segments: reference(text.length, single, perPart),
        });
      }),
    );
  });
});
