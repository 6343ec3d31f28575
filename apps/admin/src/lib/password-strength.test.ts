import { describe, expect, it } from 'vitest';
import { estimatePasswordStrength } from './password-strength';

describe('the strength meter agrees with the server policy', () => {
  it('marks the passwords the server refuses, and a long passphrase as strong', async () => {
    for (const weak of ['1234567890', 'aaaaaaaaaa', 'password12', 'password1234', ' '.repeat(12)]) {
      expect((await estimatePasswordStrength(weak)).acceptable, weak).toBe(false);
    }
    expect(await estimatePasswordStrength('short1!')).toMatchObject({
      acceptable: false,
      problem: 'tooShort',
    });
    expect(await estimatePasswordStrength('x'.repeat(129))).toMatchObject({ problem: 'tooLong' });
    expect(await estimatePasswordStrength('aigerim.k2026!', 'aigerim.k')).toMatchObject({
      problem: 'guessable',
    });
    expect(await estimatePasswordStrength('Көктемгі науқан: 7 жаңа өнім 🌷')).toMatchObject({
      acceptable: true,
    });
  });
});
