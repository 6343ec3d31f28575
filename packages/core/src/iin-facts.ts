// Facts an IIN carries by convention (sex, birth date), used to stratify the control group. Since the 2013
// amendment they may be missing or odd, so every helper has an "unknown" answer instead of throwing.
import { centuryFromDigit } from './iin';

export type IinSex = 'M' | 'F';

/** Age bands for stratification, youngest first; 'unknown' when the IIN carries no usable birth date. */
export const IIN_AGE_BANDS = ['<25', '25-34', '35-44', '45-54', '55-64', '65+', 'unknown'] as const;
export type IinAgeBand = (typeof IIN_AGE_BANDS)[number];

/** Sex part of a stratum: 'U' when digit 7 is outside 1-6. */
export const IIN_STRATUM_SEXES = ['M', 'F', 'U'] as const;

/** Every stratum `iinStratum` can return, in the order of `iinStratumIndex`. */
export const IIN_STRATA: readonly string[] = IIN_STRATUM_SEXES.flatMap((sex) =>
  IIN_AGE_BANDS.map((band) => `${sex}|${band}`),
);

function centuryDigitOf(iin: number): number {
  return Math.floor(iin / 1e5) % 10;
}

/** Digit 7: odd = male, even = female; null when it is not 1-6. */
export function iinSex(iin: number): IinSex | null {
  const digit = centuryDigitOf(iin);
  if (digit < 1 || digit > 6) return null;
  return digit % 2 === 1 ? 'M' : 'F';
}

/** Birth year from digits 1-2 and the century digit 7; null when the century digit is not 1-6. */
export function iinBirthYear(iin: number): number | null {
  const century = centuryFromDigit(centuryDigitOf(iin));
  return century < 0 ? null : century + Math.floor(iin / 1e10);
}

/** Age in whole years on `asOf` (UTC), or null when unknown or negative (a birth date after asOf). */
export function iinAge(iin: number, asOf: Date): number | null {
  const year = iinBirthYear(iin);
  if (year === null) return null;
  // Month and day are compared as written even when they are no real date (e.g. month 13): the age is then
  // off by at most one year, which is good enough for a stratum.
  const monthDay = Math.floor(iin / 1e6) % 1e4;
  const asOfMonthDay = (asOf.getUTCMonth() + 1) * 100 + asOf.getUTCDate();
  const age = asOf.getUTCFullYear() - year - (monthDay > asOfMonthDay ? 1 : 0);
  return age < 0 ? null : age;
}

function bandIndex(age: number | null): number {
  if (age === null) return 6;
  if (age < 25) return 0;
  if (age >= 65) return 5;
  return 1 + Math.floor((age - 25) / 10);
}

export function iinAgeBand(iin: number, asOf: Date): IinAgeBand {
  return IIN_AGE_BANDS[bandIndex(iinAge(iin, asOf))]!;
}

/** `${sex}|${band}`, e.g. 'F|25-34'; sex 'U' when unknown. One of IIN_STRATA. */
export function iinStratum(iin: number, asOf: Date): string {
  return IIN_STRATA[iinStratumIndex(iin, asOf)]!;
}

/** The stratum as an index into IIN_STRATA: no string per IIN when splitting millions. */
export function iinStratumIndex(iin: number, asOf: Date): number {
  const sex = iinSex(iin);
  const sexIndex = sex === 'M' ? 0 : sex === 'F' ? 1 : 2;
  return sexIndex * IIN_AGE_BANDS.length + bandIndex(iinAge(iin, asOf));
}
