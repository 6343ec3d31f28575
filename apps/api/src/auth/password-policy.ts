// What a password must be (OWASP ASVS L2, 2.1): 12 to 128 characters of any kind, and not guessable: zxcvbn-ts
// with its common dictionaries (the most used and breached passwords, names, words, keyboard walks, repeats)
// must rate it 3 of 4 or better. The username and the service's own words count as guessable too.

import type { InputIssue } from '@campaigns/core';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { ApiError } from '../errors';

export const minPasswordLength = 12;
export const maxPasswordLength = 128;
/** zxcvbn's score: 3 = "safely unguessable", protected against an offline slow-hash attack of moderate size. */
export const minPasswordScore = 3;

const serviceWords = ['campaign', 'campaigns', 'marketer', 'approver', 'admin', 'kaspi', 'halyk', 'bank'];

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, userInputs: serviceWords },
  graphs: common.adjacencyGraphs,
});

// zxcvbn's warning keys, said in words (no language pack is loaded: these are the only texts needed).
const warningText: Record<string, string> = {
  topTen: 'it is one of the ten most used passwords',
  topHundred: 'it is one of the hundred most used passwords',
  common: 'it is a commonly used password',
  similarToCommon: 'it is too close to a commonly used password',
  straightRow: 'it is a straight row of keys',
  keyPattern: 'it is a short keyboard pattern',
  simpleRepeat: 'it repeats a character or a few',
  extendedRepeat: 'it repeats a pattern of characters',
  sequences: 'it is a sequence such as abc or 123',
  recentYears: 'it ends in a recent year',
  dates: 'it is a date',
  wordByItself: 'it is a single word',
  namesByThemselves: 'it is a name',
  commonNames: 'it is a common name',
  userInputs: 'it holds the username or the name of this service',
  pwned: 'it appears in breached password lists',
};

/** The refusal, with the rule broken: `rule` and `limit` for a length, else why it is guessable. */
function weak(reason: string, rule: Omit<InputIssue, 'field' | 'message'>): ApiError {
  return new ApiError('USER.WEAK_PASSWORD', `The password is too weak: ${reason}.`, {
    issues: [{ field: 'password', message: reason, ...rule }],
  });
}

/** Throws USER.WEAK_PASSWORD (400, with the reason as the `password` field's issue) unless the policy holds. */
export async function assertStrongPassword(
  password: string,
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
  const result = await estimator.checkAsync(password, context.username ? [context.username] : []);
  if (result.score < minPasswordScore) {
    const key = result.feedback.warning ?? '';
    throw weak(warningText[key] ?? 'it is easy to guess; add more words or characters', {
      rule: 'weak_password',
      expected: key || 'guessable',
    });
  }
}
