// RB3's XLS_OW_ID: `KKB_` + 4 digits (KKB_0123 -> KKB_0124). After KKB_9999 the space is exhausted: a typed error,
// never a 9-character id that the delivery systems' 8-character column would not hold.
import { type CodeSequence, codeSequencePattern, nextSequenceCode } from './code-sequence';

const XLS_OW_IDS: CodeSequence = {
  prefix: 'KKB_',
  digits: 4,
  exhaustedCode: 'CAMPAIGN.XLS_ID_EXHAUSTED',
  label: 'XLS_OW_ID',
};

export const XLS_OW_ID_PATTERN = codeSequencePattern(XLS_OW_IDS);

export function isXlsOwId(value: unknown): value is string {
  return typeof value === 'string' && XLS_OW_ID_PATTERN.test(value);
}

/** 1 + the largest well-formed id in `existing`; KKB_0001 when none. Throws CAMPAIGN.XLS_ID_EXHAUSTED after KKB_9999. */
export function nextXlsOwId(existing: Iterable<string | null | undefined>): string {
  return nextSequenceCode(XLS_OW_IDS, existing);
}
