// SMS length rules (3GPP TS 23.038 / 23.040): a text that fits the GSM 7-bit default alphabet travels as GSM-7,
// 160 septets in one message or 153 per part of a concatenated one (the user data header takes 7); anything else
// travels as UCS-2, 70 UTF-16 units alone or 67 per part. All Cyrillic and Kazakh letters force UCS-2.

/** GSM 03.38 basic character set (one septet each); 0x1B, the escape to the extension table, is left out. */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** GSM 03.38 extension table: escape + character, two septets each. */
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const GSM7_BASIC_SET = new Set(GSM7_BASIC);
const GSM7_EXTENSION_SET = new Set(GSM7_EXTENSION);

export const SMS_LIMITS = {
  'GSM-7': { single: 160, perPart: 153 },
  'UCS-2': { single: 70, perPart: 67 },
} as const;

export type SmsEncoding = keyof typeof SMS_LIMITS;

export interface SmsInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7, extension characters count 2) or UTF-16 units (UCS-2, emoji and other astral characters 2). */
  units: number;
  /** Messages the text is sent as; 0 for an empty text. */
  segments: number;
  /** Capacity of one segment at this length: 160/70 while it fits one message, 153/67 once it is split. */
  perSegment: number;
  /** Units still free in the last segment. */
  remainingInSegment: number;
}

/** Septets a character takes in GSM-7: 1 or 2, or 0 when GSM-7 cannot carry it. */
function gsm7Septets(ch: string): number {
  if (GSM7_BASIC_SET.has(ch)) return 1;
  return GSM7_EXTENSION_SET.has(ch) ? 2 : 0;
}

/**
 * Packs character sizes into parts of `capacity` units. A character never straddles two parts (an escape and its
 * character, or the two halves of a surrogate pair, travel together), so a part can end a unit short.
 */
function pack(sizes: number[], capacity: number): { segments: number; usedInLast: number } {
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > capacity) {
      segments++;
      used = 0;
    }
    used += size;
  }
  return { segments, usedInLast: used };
}

export function smsInfo(text: string): SmsInfo {
  const characters = [...text]; // code points: an emoji is one entry, two UTF-16 units
  const septets = characters.map(gsm7Septets);
  const isGsm7 = septets.every((size) => size > 0);
  const encoding: SmsEncoding = isGsm7 ? 'GSM-7' : 'UCS-2';
  const sizes = isGsm7 ? septets : characters.map((ch) => ch.length);
  const units = sizes.reduce((sum, size) => sum + size, 0);
  const limits = SMS_LIMITS[encoding];
  if (units === 0)
    return { encoding, units, segments: 0, perSegment: limits.single, remainingInSegment: limits.single };
  if (units <= limits.single) {
    return {
      encoding,
      units,
      segments: 1,
      perSegment: limits.single,
      remainingInSegment: limits.single - units,
    };
  }
  const { segments, usedInLast } = pack(sizes, limits.perPart);
  return {
    encoding,
    units,
    segments,
    perSegment: limits.perPart,
    remainingInSegment: limits.perPart - usedInLast,
  };
}

/** Characters GSM-7 cannot carry (why a text became UCS-2), each once, in order of appearance. */
export function nonGsm7Characters(text: string): string[] {
  return [...new Set([...text].filter((ch) => gsm7Septets(ch) === 0))];
}
