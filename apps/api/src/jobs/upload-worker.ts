import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { UploadFormat, UploadSummary } from '@campaigns/db';
import { ApiError } from '../errors';

export type { UploadFormat, UploadSummary } from '@campaigns/db';

export interface UploadWorkerInput {
  format: UploadFormat;
  bytes: Uint8Array;
  /** The IIN column (0-based) the marketer picked, when the file had several candidates. */
  column?: number | undefined;
}

export type UploadWorkerOutput =
  | { type: 'progress'; rows: number }
  | { type: 'done'; iins: Float64Array; summary: UploadSummary }
  | { type: 'error'; code: string; message: string };

/**
 * Parses an upload in its own worker thread, so a million-row file never blocks the API's event loop. From
 * source (tsx), the worker first registers tsx's loader and then imports the .ts entry (the same bootstrap as
 * db's AudienceWorker; Node 20 does not apply execArgv loaders to a worker's entry file).
 */
export function parseUploadInWorker(
  input: UploadWorkerInput,
  onRows: (rows: number) => void,
): Promise<{ iins: Float64Array; summary: UploadSummary }> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(input);
    let settled = false;
    worker.on('message', (message: UploadWorkerOutput) => {
      if (message.type === 'progress') onRows(message.rows);
      else {
        settled = true;
        void worker.terminate();
        if (message.type === 'done') resolve({ iins: message.iins, summary: message.summary });
        else reject(new ApiError(message.code, `The upload cannot be read: ${message.message}`));
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

function startWorker(input: UploadWorkerInput): Worker {
  const js = new URL('./upload-worker-entry.js', import.meta.url);
  if (existsSync(js)) return new Worker(js, { workerData: input });
  const entry = new URL('./upload-worker-entry.ts', import.meta.url).href;
  const tsxApiCjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsxApi = pathToFileURL(tsxApiCjs.replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: input });
}
