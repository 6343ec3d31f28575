import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  completeIin,
  formatIin,
  iinCheckDigit,
  isDomainError,
  isValidIin,
  parseIin,
  validateIin,
} from './index';
import { digitString, referenceCheckDigit } from './testing/iin-reference';

const elevenDigits = digitString(11, 11);

describe('IIN check digit (docs/ARCHITECTURE.md worked examples)', () => {
  it('900101300007: the first pass gives 40 mod 11 = 7', () => {
    expect(iinCheckDigit('90010130000')).toBe(7);
    expect(validateIin('900101300007')).toMatchObject({ ok: true, value: '900101300007', iin: 900101300007 });
  });

  it('900101300811: the first pass gives 10, the second pass 1', () => {
    expect(iinCheckDigit('90010130081')).toBe(1);
    expect(isValidIin('900101300811')).toBe(true);
    expect(isValidIin('900101300810')).toBe(false);
  });

  it('90010130080x is never issued: both passes give 10', () => {
    expect(iinCheckDigit('90010130080')).toBeNull();
    expect(completeIin('90010130080')).toBeNull();
    for (let d = 0; d <= 9; d++) {
      expect(validateIin(`90010130080${d}`)).toMatchObject({
        ok: false,
        reason: 'never_issued',
        code: 'IIN.NEVER_ISSUED',
      });
    }
  });

  it('a wrong check digit is rejected and the message names the right one', () => {
    const result = validateIin('900101300008');
    expect(result).toMatchObject({ ok: false, reason: 'check_digit', code: 'IIN.INVALID_CHECK_DIGIT' });
    expect(!result.ok && result.message).toContain('should be 7');
  });

  it('agrees with the plainly written rule on random 11-digit prefixes', () => {
    fc.assert(
      fc.property(elevenDigits, (first11) => iinCheckDigit(first11) === referenceCheckDigit(first11)),
      {
        numRuns: 2000,
      },
    );
  });

  it('every generated valid IIN passes, and exactly one check digit is valid for an issued prefix', () => {
    fc.assert(
      fc.property(elevenDigits, (first11) => {
        const iin = completeIin(first11);
        if (iin === null) return true;
        expect(isValidIin(iin)).toBe(true);
        expect(validateIin(iin)).toMatchObject({ ok: true, value: iin, iin: Number(iin) });
        // As a spreadsheet number up to three lost leading zeros are recoverable (docs/ARCHITECTURE.md "Domain": 9-11 digits).
        if (!iin.startsWith('0000')) expect(validateIin(Number(iin))).toMatchObject({ ok: true, value: iin });
        expect(formatIin(Number(iin))).toBe(iin);
        const others = [...'0123456789'].filter((d) => d !== iin[11]).map((d) => first11 + d);
        expect(others.filter(isValidIin)).toEqual([]);
        return true;
      }),
      { numRuns: 2000 },
    );
  });

  it('iinCheckDigit throws a typed error for input that is not 11 digits', () => {
    expect(() => iinCheckDigit('9001013000')).toThrow(
      expect.objectContaining({ code: 'IIN.INVALID_LENGTH' }),
    );
    expect(() => iinCheckDigit('9001013000x')).toThrow(expect.objectContaining({ code: 'IIN.NON_DIGIT' }));
  });
});

describe('validateIin normalisation', () => {
  it('trims and drops spaces (including a non-breaking space from a spreadsheet)', () => {
    expect(validateIin('  900101 300007\t')).toMatchObject({ ok: true, value: '900101300007' });
    expect(validateIin('900\u00a0101\u00a0300\u00a0007')).toMatchObject({ ok: true, value: '900101300007' });
  });

  it('restores a leading zero lost by Excel when the padded value is valid, and says so', () => {
    const full = completeIin('05031250012');
    expect(full).toMatch(/^0/);
    const lost = full!.slice(1);
    const result = validateIin(lost);
    expect(result).toMatchObject({ ok: true, value: full });
    expect(result.ok && result.warnings.map((w) => w.code)).toEqual(['IIN.LEADING_ZERO_RESTORED']);
    expect(validateIin(Number(lost))).toMatchObject({ ok: true, value: full });
  });

  it('restores two or three zeros (born in 2000; January-September 2000), one warning per value', () => {
    for (const first11 of ['00120150012', '00060384401', '00100550003']) {
      const full = completeIin(first11) ?? completeIin(`${first11.slice(0, 10)}2`)!;
      const digits = full.replace(/^0+/, '');
      for (const raw of [digits, Number(digits)]) {
        const result = validateIin(raw);
        expect(result).toMatchObject({ ok: true, value: full });
        expect(result.ok && result.warnings.filter((w) => w.code === 'IIN.LEADING_ZERO_RESTORED')).toEqual([
          expect.objectContaining({ message: expect.stringContaining(`had ${digits.length} digits`) }),
        ]);
      }
    }
  });

  it('never pads below 9 digits, nor a value whose padded form is invalid', () => {
    const full = completeIin('00000150012') ?? completeIin('00000150013')!;
    expect(validateIin(full.replace(/^0+/, ''))).toMatchObject({ ok: false, reason: 'length' });
    const nine = [...'0123456789'].map((d) => `81060384${d}`).find((v) => !isValidIin(`000${v}`))!;
    expect(validateIin(nine)).toMatchObject({ ok: false, reason: 'length' });
    expect(validateIin(Number(nine))).toMatchObject({ ok: false, reason: 'length' });
  });

  it('does not pad an 11-digit value whose padded form is invalid', () => {
    // '0' + '90010130000' does not end in a valid check digit.
    expect(iinCheckDigit('09001013000')).not.toBe(0);
    expect(validateIin('90010130000')).toMatchObject({
      ok: false,
      reason: 'length',
      code: 'IIN.INVALID_LENGTH',
    });
  });

  it('reports scientific notation as unrecoverable, in both decimal styles', () => {
    expect(validateIin('9.00101E+11')).toMatchObject({ ok: false, reason: 'scientific_notation' });
    expect(validateIin('9,00101E+11')).toMatchObject({ ok: false, code: 'IIN.SCIENTIFIC_NOTATION' });
  });

  it('rejects empty values, non-digits and wrong lengths with their reasons', () => {
    expect(validateIin('   ')).toMatchObject({ ok: false, reason: 'empty' });
    expect(validateIin('90010130000A')).toMatchObject({ ok: false, reason: 'non_digit' });
    expect(validateIin('900101-300007')).toMatchObject({ ok: false, reason: 'non_digit' });
    expect(validateIin('9001013000071')).toMatchObject({ ok: false, reason: 'length' });
    expect(validateIin('9001013')).toMatchObject({ ok: false, reason: 'length' });
    expect(validateIin(900101300007.5)).toMatchObject({ ok: false, reason: 'non_digit' });
    expect(validateIin(-900101300007)).toMatchObject({ ok: false, reason: 'non_digit' });
  });

  it('treats date and century oddities as warnings, never rejections', () => {
    const badMonth = completeIin('90130130000')!; // month 13
    expect(validateIin(badMonth)).toMatchObject({ ok: true, warnings: [{ code: 'IIN.IMPOSSIBLE_DATE' }] });
    const feb29In1990 = completeIin('90022930000')!;
    expect(validateIin(feb29In1990)).toMatchObject({ ok: true, warnings: [{ code: 'IIN.IMPOSSIBLE_DATE' }] });
    const feb29In2000 = completeIin('00022950000')!;
    expect(validateIin(feb29In2000)).toMatchObject({ ok: true, warnings: [] });
    const century0 = completeIin('90010100000')!;
    expect(validateIin(century0)).toMatchObject({ ok: true, warnings: [{ code: 'IIN.UNKNOWN_CENTURY' }] });
  });

  it('isValidIin accepts only the canonical 12-digit form', () => {
    expect(isValidIin(' 900101300007')).toBe(false);
    expect(isValidIin('00101300007')).toBe(false);
  });

  it('parseIin returns the number or throws a DomainError with the reason code', () => {
    expect(parseIin('900101300007')).toBe(900101300007);
    try {
      parseIin('900101300008');
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, 'IIN.INVALID_CHECK_DIGIT')).toBe(true);
    }
  });

  it('formatIin pads to 12 digits and refuses what is not an IIN number', () => {
    expect(formatIin(50312500123)).toBe('050312500123');
    expect(() => formatIin(1e12)).toThrow(expect.objectContaining({ code: 'IIN.INVALID_LENGTH' }));
    expect(() => formatIin(1.5)).toThrow();
  });
});
