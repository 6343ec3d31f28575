// Scores passwords in one long-lived worker thread that holds zxcvbn's dictionaries (password-strength.ts):
// started on the first password checked, reused after, restarted if it ever dies; the App closes it.
import { LongLivedWorker } from '@campaigns/db';
import type { PasswordScore } from './password-strength';

export interface PasswordWorkerRequest {
  id: number;
  password: string;
  userInputs: string[];
}

export type PasswordWorkerAnswer = { id: number } & (
  | { ok: true; score: PasswordScore }
  | { ok: false; message: string }
);

export class PasswordScorer {
  readonly #worker = new LongLivedWorker<PasswordWorkerRequest, PasswordWorkerAnswer>({
    name: 'password worker',
    entry: new URL('./password-worker-entry.ts', import.meta.url),
  });

  score(password: string, userInputs: string[]): Promise<PasswordScore> {
    return this.#worker.call<PasswordScore>({
      send: (post, id) => post({ id, password, userInputs }),
      receive: (answer) =>
        answer.ok
          ? { value: answer.score }
          : { error: new Error(`password scoring failed: ${answer.message}`) },
    });
  }

  /** Stops the worker; scores being computed fail. */
  close(): Promise<void> {
    return this.#worker.close();
  }
}
