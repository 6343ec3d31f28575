// Test support for the IIN tests: the check-digit rule written out plainly, as docs/ARCHITECTURE.md "Domain"
// states it, without looking at the fast code, and the digit strings the property tests draw from.
import fc from 'fast-check';

/** The expected check digit of an 11-digit prefix, or null when both passes give 10 (never issued). */
export function referenceCheckDigit(first11: string): number | null {
  const digits = [...first11].map(Number);
  const firstPass = digits.reduce((sum, d, i) => sum + d * (i + 1), 0) % 11;
  if (firstPass !== 10) return firstPass;
  const weights = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
  const secondPass = digits.reduce((sum, d, i) => sum + d * weights[i]!, 0) % 11;
  return secondPass === 10 ? null : secondPass;
}

/** Strings of `min` to `max` decimal digits. */
export const digitString = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
