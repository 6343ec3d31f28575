// Worker thread (upload-worker.ts starts it once and reuses it): parses one uploaded file per message, reporting
// rows read, and answers the accepted IINs sorted and distinct, so the caller's thread never sorts them.
import { parentPort } from 'node:worker_threads';
import { sortUnique } from '@campaigns/core';
import { parseUpload } from './parse-upload';
import { isUploadError } from './upload-error';
import { uploadSummary } from './upload-summary';
import type { UploadWorkerOutput, UploadWorkerRequest } from './upload-worker';

const port = parentPort;

port?.on('message', ({ id, input }: UploadWorkerRequest) => {
  const onProgress = (rows: number) =>
    port.postMessage({ id, type: 'progress', rows } satisfies UploadWorkerOutput);
  // Started in a promise, so a parser that throws at once still answers its file's error.
  Promise.resolve(input)
    .then((file) => parseUpload(file.format, file.bytes, onProgress, { column: file.column }))
    .then(
      (result) => {
        const iins = sortUnique(result.report.iins);
        port.postMessage(
          { id, type: 'done', iins, summary: uploadSummary(result) } satisfies UploadWorkerOutput,
          [iins.buffer as ArrayBuffer],
        );
      },
      (error: unknown) => {
        port.postMessage({
          id,
          type: 'error',
          code: isUploadError(error) ? error.code : 'UPLOAD.UNREADABLE',
          message: error instanceof Error ? error.message : String(error),
          // The line or limit the reason names, so the job can carry it to a UI that words the code itself.
          details: isUploadError(error) && error.details ? { ...error.details } : undefined,
        } satisfies UploadWorkerOutput);
      },
    );
});
