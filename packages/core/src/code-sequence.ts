// A sequence of fixed-width codes `<prefix><digits>` (C000012345, KKB_0123): next = 1 + the largest code of exactly
// that shape. Anything else is ignored, so a stray 'C12' or 'C0000123456' can neither stop nor bend the sequence,
// and the width never changes: when the largest code is reached the space is exhausted, a typed error.
import { DomainError, type DomainErrorCode } from './errors';

export interface CodeSequence {
  prefix: string;
  digits: number;
  /** Thrown when the largest code exists already. */
  exhaustedCode: DomainErrorCode;
  /** What the codes are called in messages ('campaign code', 'XLS_OW_ID'). */
  label: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function codeSequencePattern(sequence: CodeSequence): RegExp {
  return new RegExp(`^${escapeRegExp(sequence.prefix)}[0-9]{${sequence.digits}}$`);
}

export function formatSequenceCode(sequence: CodeSequence, n: number): string {
  return sequence.prefix + String(n).padStart(sequence.digits, '0');
}

/** The next code after every well-formed one in `existing` (which may hold anything); the first code if none. */
export function nextSequenceCode(
  sequence: CodeSequence,
  existing: Iterable<string | null | undefined>,
): string {
  const pattern = codeSequencePattern(sequence);
  let largest = 0; // so that the first code is ...0001 (and ...0000, if present, is followed by ...0001)
  for (const code of existing) {
    if (typeof code !== 'string' || !pattern.test(code)) continue;
    const n = Number(code.slice(sequence.prefix.length));
    if (n > largest) largest = n;
  }
  if (largest >= 10 ** sequence.digits - 1) {
    const last = formatSequenceCode(sequence, largest);
    throw new DomainError(
      sequence.exhaustedCode,
      `No ${sequence.label} is left: ${last} is the last one of the form ${sequence.prefix}${'N'.repeat(sequence.digits)}`,
      { last },
    );
  }
  return formatSequenceCode(sequence, largest + 1);
}
