// The strength meter's estimate: the same library and dictionaries as the server's policy
// (apps/api/src/auth/password-policy.ts: 12-128 characters, zxcvbn score 3 or better), loaded only when a password
// field is first used, so the dictionaries (about 1 MB) stay out of the app's start-up bundle. The server decides.

export const minPasswordLength = 12;
export const maxPasswordLength = 128;
export const minPasswordScore = 3;

export interface PasswordStrength {
  /** 0-4, zxcvbn's score; 0 also for a password outside the length limits. */
  score: number;
  /** Whether the server will take it. */
  acceptable: boolean;
  problem: 'tooShort' | 'tooLong' | 'guessable' | null;
}

type Estimator = { checkAsync(password: string, userInputs?: string[]): Promise<{ score: number }> };
let estimator: Promise<Estimator> | undefined;

function loadEstimator(): Promise<Estimator> {
  estimator ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary },
        graphs: common.adjacencyGraphs,
      }),
  );
  return estimator;
}

export async function estimatePasswordStrength(password: string, username = ''): Promise<PasswordStrength> {
  const length = [...password].length;
  if (length > maxPasswordLength) return { score: 0, acceptable: false, problem: 'tooLong' };
  const { score } = await (await loadEstimator()).checkAsync(password, username ? [username] : []);
  if (length < minPasswordLength)
    return { score: Math.min(score, 1), acceptable: false, problem: 'tooShort' };
  const acceptable = score >= minPasswordScore;
  return { score, acceptable, problem: acceptable ? null : 'guessable' };
}
