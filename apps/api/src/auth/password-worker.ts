// Scores passwords in one long-lived worker thread that holds zxcvbn's dictionaries (password-strength.ts):
// started on the first password checked, reused after, restarted if it ever dies.
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '@campaigns/db';
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

interface Pending {
  resolve: (score: PasswordScore) => void;
  reject: (error: Error) => void;
}

export class PasswordScorer {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  score(password: string, userInputs: string[]): Promise<PasswordScore> {
    const worker = this.#started();
    const id = this.#nextId++;
    const answered = new Promise<PasswordScore>((resolve, reject) =>
      this.#pending.set(id, { resolve, reject }),
    );
    worker.ref();
    worker.postMessage({ id, password, userInputs } satisfies PasswordWorkerRequest);
    return answered;
  }

  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startModuleWorker(new URL('./password-worker-entry.ts', import.meta.url), null);
    worker.on('message', (answer: PasswordWorkerAnswer) => {
      const pending = this.#pending.get(answer.id);
      this.#pending.delete(answer.id);
      // Idle, it never keeps the process alive.
      if (this.#pending.size === 0) worker.unref();
      if (answer.ok) pending?.resolve(answer.score);
      else pending?.reject(new Error(`password scoring failed: ${answer.message}`));
    });
    const died = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`password worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}

/** The process's one scorer. */
export const passwordScorer = new PasswordScorer();
