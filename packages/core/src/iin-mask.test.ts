import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIin } from './rules';

const twelveDigits = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 })
  .map((d) => d.join(''));

describe('maskIin', () => {
  it('shows the first two and the last two digits, bullets between', () => {
    expect(maskIin('900101300007')).toBe('90••••••••07');
    // The engine's number, leading zeros restored before masking (born in 2000).
    expect(maskIin(1231500123)).toBe('00••••••••23');
  });

  it('never leaves a run of more than two digits, and keeps what it shows in place', () => {
    fc.assert(
      fc.property(twelveDigits, (iin) => {
        const masked = maskIin(iin);
        expect(masked).toHaveLength(12);
        expect(masked).not.toMatch(/\d{3}/);
        expect(masked.slice(0, 2) + masked.slice(10)).toBe(iin.slice(0, 2) + iin.slice(10));
        expect(maskIin(Number(iin))).toBe(masked);
      }),
    );
  });

  it('refuses what is not an IIN rather than masking part of it', () => {
    expect(() => maskIin('9001013000')).toThrow(RangeError);
    expect(() => maskIin(1e12)).toThrow();
  });
});
