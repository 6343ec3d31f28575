// Parses one upload in its own worker thread, so a million-row file never blocks the caller's event loop. The
// worker boots as every worker of ours does (datasets/module-worker.ts); it answers the accepted IINs sorted and
// distinct (transferred, not copied) with the compact report, or the UploadError that refused the file.
import { startModuleWorker } from '../datasets/module-worker';
import type { UploadFormat } from './parse-upload';
import { UploadError, type UploadProblemCode } from './upload-error';
import type { UploadSummary } from './upload-summary';

export interface UploadWorkerInput {
  format: UploadFormat;
  bytes: Uint8Array;
  /** The IIN column (0-based) the marketer picked, when the file had several candidates. */
  column?: number | undefined;
}

export type UploadWorkerOutput =
  | { type: 'progress'; rows: number }
  | { type: 'done'; iins: Float64Array; summary: UploadSummary }
  | { type: 'error'; code: UploadProblemCode; message: string };

/** The accepted IINs (sorted, distinct) and the report; `onRows` hears the rows read so far. */
export function parseUploadInWorker(
  input: UploadWorkerInput,
  onRows: (rows: number) => void,
): Promise<{ iins: Float64Array; summary: UploadSummary }> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(new URL('./upload-worker-entry.ts', import.meta.url), input);
    let settled = false;
    worker.on('message', (message: UploadWorkerOutput) => {
      if (message.type === 'progress') onRows(message.rows);
      else {
        settled = true;
        void worker.terminate();
        if (message.type === 'done') resolve({ iins: message.iins, summary: message.summary });
        else reject(new UploadError(message.code, message.message));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`upload worker exited with code ${code}`));
    });
  });
}
