// How an IIN is shown where a person needs to tell clients apart but not identify them (the audience sample,
// docs/ARCHITECTURE.md "Audience sample"): the first two digits (birth year) and the last two, eight digits
// hidden. The hidden part holds the birth month and day, the century/sex digit and most of the serial, so a
// masked IIN stands for about 66,000 valid IINs with real birth dates (366 x 2 x 1,000, one in 11 with the shown
// check digit). One function, so every screen masks the same way.
import { formatIin } from './iin';

/** Digits shown at the start and at the end of a masked IIN. */
export const IIN_MASK_SHOWN = { head: 2, tail: 2 } as const;
/** Stands for one hidden digit (a bullet: never a digit, so a masked IIN can never read as a real one). */
export const IIN_MASK_CHARACTER = '•';

/** `900101300007` -> `90••••••••07`. Takes the IIN as 12 digits or as the engine's number. */
export function maskIin(iin: string | number): string {
  const digits = typeof iin === 'number' ? formatIin(iin) : iin;
  if (!/^\d{12}$/.test(digits)) throw new RangeError('maskIin takes an IIN of 12 digits');
  const { head, tail } = IIN_MASK_SHOWN;
  return digits.slice(0, head) + IIN_MASK_CHARACTER.repeat(12 - head - tail) + digits.slice(12 - tail);
}
