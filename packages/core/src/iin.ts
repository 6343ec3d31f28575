// IIN (Kazakhstan's 12-digit individual identification number) rules, per docs/ARCHITECTURE.md "Domain".
// Hard rules: 12 digits and the check digit. The birth date and century digit are only a convention since a 2013
// amendment, so oddities there are warnings, never rejections.
import { DomainError, type DomainErrorCode } from './errors';

/** Why a value is not an IIN. `duplicate` only arises when a whole column is parsed. */
export type IinRejectReason =
  | 'empty'
  | 'length'
  | 'non_digit'
  | 'check_digit'
  | 'never_issued'
  | 'scientific_notation'
  | 'duplicate';

export const IIN_REASON_CODES = {
  empty: 'IIN.EMPTY',
  length: 'IIN.INVALID_LENGTH',
  non_digit: 'IIN.NON_DIGIT',
  check_digit: 'IIN.INVALID_CHECK_DIGIT',
  never_issued: 'IIN.NEVER_ISSUED',
  scientific_notation: 'IIN.SCIENTIFIC_NOTATION',
  duplicate: 'IIN.DUPLICATE',
} as const satisfies Record<IinRejectReason, DomainErrorCode>;

export type IinWarningCode = 'IIN.IMPOSSIBLE_DATE' | 'IIN.UNKNOWN_CENTURY' | 'IIN.LEADING_ZERO_RESTORED';

export interface IinWarning {
  code: IinWarningCode;
  message: string;
}

export type IinValidation =
  | { ok: true; value: string; iin: number; warnings: IinWarning[] }
  | { ok: false; reason: Exclude<IinRejectReason, 'duplicate'>; code: DomainErrorCode; message: string };

/** Largest IIN + 1; every IIN is below it and below 2^53, so a float64 holds each one exactly. */
export const IIN_LIMIT = 1e12;

// Outcomes of the low-level checks below: an IIN >= 0, or one of these.
export const IIN_NON_DIGIT = -1;
export const IIN_BAD_CHECK_DIGIT = -2;
export const IIN_NEVER_ISSUED = -3;

/**
 * The check digit from the weighted sum of the first 11 digits, d_i * i, and their plain sum.
 * The second pass's weights 3,4,...,11,1,2 are i + 2 (mod 11), so its sum is `weighted + 2 * digitSum` (mod 11):
 * one loop serves both passes. Returns -1 when both passes give 10 (never issued).
 */
export function checkDigitFromSums(weighted: number, digitSum: number): number {
  const first = weighted % 11;
  if (first !== 10) return first;
  const second = (weighted + 2 * digitSum) % 11;
  return second === 10 ? -1 : second;
}

/**
 * Parses `s[start .. start + 12)` as an IIN: the number, or IIN_NON_DIGIT / IIN_BAD_CHECK_DIGIT / IIN_NEVER_ISSUED.
 * The hot path of column parsing: char-code arithmetic, no allocation. The caller guarantees the length.
 */
export function parseIinDigits(s: string, start: number): number {
  let value = 0;
  let weighted = 0;
  let digitSum = 0;
  for (let i = 0; i < 11; i++) {
    const d = s.charCodeAt(start + i) - 48;
    if (d >>> 0 > 9) return IIN_NON_DIGIT; // below '0' wraps to a large unsigned value
    value = value * 10 + d;
    weighted += d * (i + 1);
    digitSum += d;
  }
  const last = s.charCodeAt(start + 11) - 48;
  if (last >>> 0 > 9) return IIN_NON_DIGIT;
  const expected = checkDigitFromSums(weighted, digitSum);
  if (expected < 0) return IIN_NEVER_ISSUED;
  if (expected !== last) return IIN_BAD_CHECK_DIGIT;
  return value * 10 + last;
}

/** Checks an integer in [0, 1e12) as a 12-digit IIN (leading zeros implied): the value itself, or a failure. */
export function checkIinNumber(value: number): number {
  // Split into two halves below 1e6 so the digit arithmetic stays on small integers.
  const high = Math.floor(value / 1e6);
  let low = value - high * 1e6;
  const checkDigit = low % 10;
  low = (low - checkDigit) / 10;
  let weighted = 0;
  let digitSum = 0;
  // Digits 12..7 come from `low` (right to left), 6..1 from `high`.
  let rest = low;
  for (let position = 11; position >= 7; position--) {
    const d = rest % 10;
    rest = (rest - d) / 10;
    weighted += d * position;
    digitSum += d;
  }
  rest = high;
  for (let position = 6; position >= 1; position--) {
    const d = rest % 10;
    rest = (rest - d) / 10;
    weighted += d * position;
    digitSum += d;
  }
  const expected = checkDigitFromSums(weighted, digitSum);
  if (expected < 0) return IIN_NEVER_ISSUED;
  return expected === checkDigit ? value : IIN_BAD_CHECK_DIGIT;
}

const ELEVEN_DIGITS = /^[0-9]{11}$/;

/**
 * The check digit for the first 11 digits, or null when no IIN with them was ever issued (both passes give 10).
 * Throws a DomainError when `first11` is not exactly 11 digits.
 */
export function iinCheckDigit(first11: string): number | null {
  if (!ELEVEN_DIGITS.test(first11)) {
    throw new DomainError(
      /^[0-9]*$/.test(first11) ? 'IIN.INVALID_LENGTH' : 'IIN.NON_DIGIT',
      `The first 11 digits of an IIN are needed; got ${JSON.stringify(first11)}`,
      { value: first11 },
    );
  }
  let weighted = 0;
  let digitSum = 0;
  for (let i = 0; i < 11; i++) {
    const d = first11.charCodeAt(i) - 48;
    weighted += d * (i + 1);
    digitSum += d;
  }
  const digit = checkDigitFromSums(weighted, digitSum);
  return digit < 0 ? null : digit;
}

/** The full IIN for 11 leading digits (demo-data generators use it), or null when those digits are never issued. */
export function completeIin(first11: string): string | null {
  const digit = iinCheckDigit(first11);
  return digit === null ? null : first11 + String(digit);
}

/** An IIN held as a number, printed back as its 12 digits (leading zeros restored). */
export function formatIin(iin: number): string {
  if (!Number.isInteger(iin) || iin < 0 || iin >= IIN_LIMIT) {
    throw new DomainError(
      'IIN.INVALID_LENGTH',
      `${iin} is not an IIN held as a number (a whole number below 1e12)`,
      {
        value: iin,
      },
    );
  }
  return String(iin).padStart(12, '0');
}

/** True only for the canonical form: exactly 12 digits with a valid check digit (no trimming or padding). */
export function isValidIin(s: string): boolean {
  return typeof s === 'string' && s.length === 12 && parseIinDigits(s, 0) >= 0;
}

// Days per month, February allowing the 29th; the leap year is checked separately (it needs the century).
const DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Century of birth from digit 7 (1/2: 1800s, 3/4: 1900s, 5/6: 2000s), or -1 when the digit is outside 1-6. */
export function centuryFromDigit(digit: number): number {
  return digit >= 1 && digit <= 6 ? 1800 + Math.floor((digit - 1) / 2) * 100 : -1;
}

/**
 * Bit flags for the convention oddities of a valid IIN, from its digits 1-7: 1 = impossible date, 2 = unknown
 * century. 0 (the usual case) costs a few comparisons and no allocation.
 */
export function iinOddities(yy: number, mm: number, dd: number, centuryDigit: number): number {
  let flags = 0;
  const century = centuryFromDigit(centuryDigit);
  if (century < 0) flags |= 2;
  if (mm < 1 || mm > 12 || dd < 1 || dd > (DAYS_IN_MONTH[mm] ?? 0)) {
    flags |= 1;
  } else if (mm === 2 && dd === 29) {
    // With an unknown century only the two-digit year can be checked.
    const year = (century < 0 ? 2000 : century) + yy;
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (!leap) flags |= 1;
  }
  return flags;
}

/**
 * True when a valid IIN surely has no oddity: month 1-12, day 1-28 (real in every month) and century digit 1-6.
 * A few float operations and no memory reads, so the column parser can skip iinOdditiesOf for almost every row.
 */
export function surelyOrdinaryIin(iin: number): boolean {
  const high = Math.floor(iin / 1e6); // YYMMDD
  const monthDay = high % 10_000;
  const month = (monthDay / 100) | 0;
  const day = monthDay - month * 100;
  const centuryDigit = Math.floor((iin - high * 1e6) / 1e5);
  return (month - 1) >>> 0 <= 11 && (day - 1) >>> 0 <= 27 && (centuryDigit - 1) >>> 0 <= 5;
}

/** iinOddities for an IIN held as a number. */
export function iinOdditiesOf(iin: number): number {
  const high = Math.floor(iin / 1e6); // YYMMDD
  const centuryDigit = Math.floor((iin - high * 1e6) / 1e5);
  return iinOddities(Math.floor(high / 1e4), Math.floor(high / 100) % 100, high % 100, centuryDigit);
}

/** The warnings for oddity flags (see iinOddities); `value` is the 12-digit IIN they are about. */
export function oddityWarnings(flags: number, value: string): IinWarning[] {
  const warnings: IinWarning[] = [];
  if (flags & 1) {
    warnings.push({
      code: 'IIN.IMPOSSIBLE_DATE',
      message: `IIN ${value}: digits 1-6 (${value.slice(0, 6)}) are not a real date YYMMDD; accepted, since the date is only a convention`,
    });
  }
  if (flags & 2) {
    warnings.push({
      code: 'IIN.UNKNOWN_CENTURY',
      message: `IIN ${value}: digit 7 (${value[6]}) is not a century/sex digit 1-6; accepted, since it is only a convention`,
    });
  }
  return warnings;
}

/** Fewest digits a value may have and still be an IIN whose leading zeros Excel dropped (born 2000: 000...). */
export const MIN_PADDABLE_DIGITS = 9;

/** The one warning for a row whose `lost` leading zeros (1-3) were put back to make the valid IIN `value`. */
export function leadingZeroWarning(value: string, lost = 1): IinWarning {
  const zeros = lost === 1 ? 'a leading zero' : `${lost} leading zeros`;
  return {
    code: 'IIN.LEADING_ZERO_RESTORED',
    message: `IIN ${value} had ${12 - lost} digits (${zeros} lost, e.g. by Excel); restored since the padded value is valid`,
  };
}

const WHITESPACE = /\s+/g;
const SCIENTIFIC_NOTATION = /^[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+$/;
const DIGITS_ONLY = /^[0-9]+$/;

function rejection(reason: Exclude<IinRejectReason, 'duplicate'>, message: string): IinValidation {
  return { ok: false, reason, code: IIN_REASON_CODES[reason], message };
}

function accepted(iin: number, extra: IinWarning[]): IinValidation {
  const value = formatIin(iin);
  return { ok: true, value, iin, warnings: [...extra, ...oddityWarnings(iinOdditiesOf(iin), value)] };
}

function failedCheck(outcome: number, value: string): IinValidation {
  return outcome === IIN_NEVER_ISSUED
    ? rejection(
        'never_issued',
        `${value} is not an IIN: no check digit exists for its first 11 digits, so no such IIN is ever issued`,
      )
    : rejection(
        'check_digit',
        `${value} is not an IIN: its check digit (digit 12) should be ${iinCheckDigit(value.slice(0, 11)) ?? '-'}, not ${value[11]}`,
      );
}

/** A 9- to 11-digit value padded back to 12 with zeros: accepted with one warning, or a `length` rejection. */
function paddedBack(digits: string): IinValidation {
  const lost = 12 - digits.length;
  const padded = digits.padStart(12, '0');
  const outcome = parseIinDigits(padded, 0);
  if (outcome >= 0) return accepted(outcome, [leadingZeroWarning(padded, lost)]);
  return rejection(
    'length',
    `${digits} is not an IIN: it has ${digits.length} digits, and with ${lost === 1 ? 'a leading zero' : `${lost} leading zeros`} restored (${padded}) the check digit does not match`,
  );
}

/**
 * Validates a number from a spreadsheet cell: a whole number of 12 digits, or of 9-11 when Excel dropped up to
 * three leading zeros (people born 2000-2009 start with 0, born in 2000 with 00, January-September 2000 with 000).
 */
export function validateIinNumber(raw: number): IinValidation {
  if (!Number.isInteger(raw) || raw < 0) {
    return rejection('non_digit', `${raw} is not an IIN: an IIN is a whole number of 12 digits`);
  }
  if (raw >= IIN_LIMIT) return rejection('length', `${raw} is not an IIN: it has more than 12 digits`);
  const digits = String(raw);
  if (digits.length < MIN_PADDABLE_DIGITS) {
    return rejection('length', `${digits} is not an IIN: it has ${digits.length} digits, an IIN has 12`);
  }
  if (digits.length < 12) return paddedBack(digits);
  const outcome = checkIinNumber(raw);
  return outcome >= 0 ? accepted(raw, []) : failedCheck(outcome, digits);
}

/**
 * Validates and normalises one IIN as typed or imported: trims and drops spaces; a 9- to 11-digit value (up to three
 * leading zeros lost in Excel) is padded back when the padded value is valid; scientific notation (1.23457E+11) is reported, since
 * the lost digits cannot be recovered. Date and century oddities come back as warnings.
 */
export function validateIin(raw: string | number): IinValidation {
  if (typeof raw === 'number') return validateIinNumber(raw);
  const text = raw.replace(WHITESPACE, '');
  if (text.length === 0) return rejection('empty', 'The IIN is empty');
  if (SCIENTIFIC_NOTATION.test(text)) {
    return rejection(
      'scientific_notation',
      `${text} is a number in scientific notation: the IIN's last digits are lost; export the column as text`,
    );
  }
  if (!DIGITS_ONLY.test(text)) {
    const bad = [...text].find((ch) => ch < '0' || ch > '9') ?? '';
    return rejection('non_digit', `${text} is not an IIN: ${JSON.stringify(bad)} is not a digit`);
  }
  if (text.length >= MIN_PADDABLE_DIGITS && text.length < 12) return paddedBack(text);
  if (text.length !== 12) {
    return rejection('length', `${text} is not an IIN: it has ${text.length} digits, an IIN has 12`);
  }
  const outcome = parseIinDigits(text, 0);
  return outcome >= 0 ? accepted(outcome, []) : failedCheck(outcome, text);
}

/** The IIN as a number, or a DomainError with the reason's code (for API inputs where one bad IIN is an error). */
export function parseIin(raw: string | number): number {
  const result = validateIin(raw);
  if (!result.ok) throw new DomainError(result.code, result.message, { value: raw, reason: result.reason });
  return result.iin;
}
