// Worker thread (upload-worker.ts starts it): parses one uploaded file, reporting rows read, and answers the
// accepted IINs sorted and distinct, so the caller's thread never sorts them.
import { parentPort, workerData } from 'node:worker_threads';
import { sortUnique } from '@campaigns/core';
import { parseUpload } from './parse-upload';
import { isUploadError } from './upload-error';
import { uploadSummary } from './upload-summary';
import type { UploadWorkerInput, UploadWorkerOutput } from './upload-worker';

const port = parentPort;
const input = workerData as UploadWorkerInput;

const onProgress = (rows: number) =>
  port?.postMessage({ type: 'progress', rows } satisfies UploadWorkerOutput);

parseUpload(input.format, input.bytes, onProgress, { column: input.column }).then(
  (result) => {
    const iins = sortUnique(result.report.iins);
    port?.postMessage({ type: 'done', iins, summary: uploadSummary(result) } satisfies UploadWorkerOutput, [
      iins.buffer as ArrayBuffer,
    ]);
  },
  (error: unknown) => {
    port?.postMessage({
      type: 'error',
      code: isUploadError(error) ? error.code : 'UPLOAD.UNREADABLE',
      message: error instanceof Error ? error.message : String(error),
    } satisfies UploadWorkerOutput);
  },
);
