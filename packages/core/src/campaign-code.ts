// Campaign codes: `C` + 9 digits (docs/ARCHITECTURE.md "Domain"). The seed's `LIKE 'C0000%'` query stops seeing codes
// after C000099999 and would hand out duplicates; matching the whole shape keeps the sequence going.
import { type CodeSequence, codeSequencePattern, nextSequenceCode } from './code-sequence';

const CAMPAIGN_CODES: CodeSequence = {
  prefix: 'C',
  digits: 9,
  exhaustedCode: 'CAMPAIGN.CODE_SPACE_EXHAUSTED',
  label: 'campaign code',
};

export const CAMPAIGN_CODE_PATTERN = codeSequencePattern(CAMPAIGN_CODES);

/** A real campaign code: exactly `C` + 9 digits. */
export function isCampaignCode(value: unknown): value is string {
  return typeof value === 'string' && CAMPAIGN_CODE_PATTERN.test(value);
}

/**
 * 1 + the largest well-formed code in `existing` (both metadata tables and the app's reservations); C000000001 when
 * there is none. Throws CAMPAIGN.CODE_SPACE_EXHAUSTED after C999999999.
 */
export function nextCampaignCode(existing: Iterable<string | null | undefined>): string {
  return nextSequenceCode(CAMPAIGN_CODES, existing);
}

/** `P` + UTC timestamp to the millisecond: 18 characters, so it never passes isCampaignCode. */
export const PROVISIONAL_CODE_PATTERN = /^P[0-9]{17}$/;

export interface ProvisionalCampaignCode {
  campaign_code: string;
  provisional: true;
}

/**
 * The stand-in code the preview endpoints may answer when the database cannot be reached (the seed's
 * timestamp-based fallback). Marked provisional; it is never written anywhere.
 */
export function provisionalCampaignCode(now: Date): ProvisionalCampaignCode {
  const stamp = now.toISOString().replace(/[^0-9]/g, ''); // YYYYMMDDHHmmssSSS
  return { campaign_code: `P${stamp}`, provisional: true };
}

export function isProvisionalCode(value: unknown): value is string {
  return typeof value === 'string' && PROVISIONAL_CODE_PATTERN.test(value);
}
