// The zxcvbn-ts estimator with its common dictionaries: ~31 MB of objects, so it lives in its own worker thread
// (password-worker.ts) and never on the API's thread, where every major GC would mark it again (issue 13,
// item 3). Only password-worker-entry.ts imports this module (a dependency-cruiser rule keeps it so).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

const serviceWords = ['campaign', 'campaigns', 'marketer', 'approver', 'admin', 'kaspi', 'halyk', 'bank'];

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, userInputs: serviceWords },
  graphs: common.adjacencyGraphs,
});

/** zxcvbn's warning keys, said in words (no language pack is loaded: these are the only texts needed). */
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

export interface PasswordScore {
  /** zxcvbn's 0-4. */
  score: number;
  /** zxcvbn's warning key (`common`, `keyPattern`, ...); null when it has none. */
  warningKey: string | null;
  /** Why it is guessable, in words; null when zxcvbn has no warning. */
  warning: string | null;
}

/** Scores a password; `userInputs` (the username) count as guessable words. */
export async function scorePassword(password: string, userInputs: string[]): Promise<PasswordScore> {
  const result = await estimator.checkAsync(password, userInputs);
  const key = result.feedback.warning || null;
  return { score: result.score, warningKey: key, warning: key === null ? null : (warningText[key] ?? null) };
}
