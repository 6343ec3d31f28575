// What a password must be (OWASP ASVS L2, 2.1): 12 to 128 characters of any kind, and not guessable: zxcvbn-ts
// with its common dictionaries (the most used and breached passwords, names, words, keyboard walks, repeats)
// must rate it 3 of 4 or better. The username and the service's own words count as guessable too.

import type { InputIssue } from '@campaigns/core';
import { ApiError } from '../errors';
import type { PasswordScorer } from './password-worker';

export const minPasswordLength = 12;
export const maxPasswordLength = 128;
/** zxcvbn's score: 3 = "safely unguessable", protected against an offline slow-hash attack of moderate size. */
export const minPasswordScore = 3;

/** The refusal, with the rule broken: `rule` and `limit` for a length, else why it is guessable. */
function weak(reason: string, rule: Omit<InputIssue, 'field' | 'message'>): ApiError {
  return new ApiError('USER.WEAK_PASSWORD', `The password is too weak: ${reason}.`, {
    issues: [{ field: 'password', message: reason, ...rule }],
  });
}

/**
 * Throws USER.WEAK_PASSWORD (400, with the reason as the `password` field's issue) unless the policy holds;
 * `scorer` is the process's password worker (its owner closes it).
 */
export async function assertStrongPassword(
  password: string,
  scorer: PasswordScorer,
  context: { username?: string } = {},
): Promise<void> {
  const length = [...password].length; // characters, not UTF-16 units
  if (length < minPasswordLength)
    throw weak(`it needs at least ${minPasswordLength} characters`, {
      rule: 'too_short',
      limit: minPasswordLength,
    });
  if (length > maxPasswordLength)
    throw weak(`it may have at most ${maxPasswordLength} characters`, {
      rule: 'too_long',
      limit: maxPasswordLength,
    });
  if (password.trim() === '') throw weak('it is only spaces', { rule: 'weak_password', expected: 'spaces' });
  // zxcvbn runs in its own worker (password-strength.ts says why).
  const result = await scorer.score(password, context.username ? [context.username] : []);
  if (result.score < minPasswordScore) {
    throw weak(result.warning ?? 'it is easy to guess; add more words or characters', {
      rule: 'weak_password',
      expected: result.warningKey ?? 'guessable',
    });
  }
}
