// Worker thread: parses one uploaded file (CSV, XLSX or pasted text) with db's readers, reporting rows read,
// and answers the accepted IINs (sorted, distinct; transferred, not copied) with a compact report.
import { parentPort, workerData } from 'node:worker_threads';
import { sortUnique } from '@campaigns/core';
import { isUploadError, parseUpload, uploadSummary } from '@campaigns/db';
import type { UploadWorkerInput, UploadWorkerOutput } from './upload-worker';

const port = parentPort;
const input = workerData as UploadWorkerInput;

const onProgress = (rows: number) =>
  port?.postMessage({ type: 'progress', rows } satisfies UploadWorkerOutput);

parseUpload(input.format, input.bytes, onProgress, { column: input.column }).then(
  (result) => {
    // Sorted here, off the API's thread: the API's sortUnique then finds them in order in one pass (a 1M-row
    // upload sorted there held its event loop about 120 ms).
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
