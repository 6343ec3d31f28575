// Worker thread (password-worker.ts starts it): answers each password's zxcvbn score.
import { parentPort } from 'node:worker_threads';
import { scorePassword } from './password-strength';
import type { PasswordWorkerAnswer, PasswordWorkerRequest } from './password-worker';

const port = parentPort;

port?.on('message', ({ id, password, userInputs }: PasswordWorkerRequest) => {
  scorePassword(password, userInputs).then(
    (score) => port.postMessage({ id, ok: true, score } satisfies PasswordWorkerAnswer),
    (error: unknown) =>
      port.postMessage({
        id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      } satisfies PasswordWorkerAnswer),
  );
});
