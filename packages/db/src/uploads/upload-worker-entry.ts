// Worker thread (upload-worker.ts starts it once and reuses it): parses one uploaded file per message, reporting
// rows read, and answers the accepted IINs sorted, distinct and encoded for the store, so the caller's thread
// never sorts, holds or encodes them.
import { parentPort } from 'node:worker_threads';
import { sortUnique } from '@campaigns/core';
import { encodeIinSnapshot } from '../store/iin-snapshot-codec';
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
    .then(async (file) => {
      const result = await parseUpload(file.format, file.bytes, onProgress, { column: file.column });
      return {
        snapshot: await encodeIinSnapshot(sortUnique(result.report.iins)),
        summary: uploadSummary(result),
      };
    })
    .then(
      ({ snapshot, summary }) => {
        port.postMessage({ id, type: 'done', snapshot, summary } satisfies UploadWorkerOutput, [
          snapshot.bytes.buffer as ArrayBuffer,
        ]);
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
