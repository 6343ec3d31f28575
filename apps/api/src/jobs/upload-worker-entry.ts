// Worker thread: parses one uploaded file (CSV, XLSX or pasted text) with db's readers, reporting rows read,
// and answers the accepted IINs (transferred, not copied) with a compact report.
import { parentPort, workerData } from 'node:worker_threads';
import {
  isUploadError,
  parseCsvUpload,
  parsePastedIins,
  parseXlsxUpload,
  type UploadResult,
} from '@campaigns/db';
import type { UploadWorkerInput, UploadWorkerOutput } from './upload-worker';

const port = parentPort;
const input = workerData as UploadWorkerInput;

async function parse(): Promise<UploadResult> {
  const onProgress = (rows: number) =>
    port?.postMessage({ type: 'progress', rows } satisfies UploadWorkerOutput);
  if (input.format === 'xlsx') return parseXlsxUpload(input.bytes, onProgress);
  if (input.format === 'csv') return parseCsvUpload(input.bytes, onProgress);
  return parsePastedIins(new TextDecoder().decode(input.bytes));
}

parse().then(
  (result) => {
    const { report } = result;
    const iins = report.iins;
    port?.postMessage(
      {
        type: 'done',
        iins,
        summary: {
          format: result.format,
          column: result.column.header ?? `column ${result.column.index + 1}`,
          first_data_row: result.firstDataRow,
          total: report.total,
          accepted: report.accepted,
          duplicates: report.duplicates,
          rejected_count: report.rejected.length,
          rejected: report.rejected.slice(0, 10_000),
          warning_counts: report.warningCounts,
          warnings: report.warnings.slice(0, 1000),
        },
      } satisfies UploadWorkerOutput,
      [iins.buffer as ArrayBuffer],
    );
  },
  (error: unknown) => {
    port?.postMessage({
      type: 'error',
      code: isUploadError(error) ? error.code : 'UPLOAD.UNREADABLE',
      message: error instanceof Error ? error.message : String(error),
    } satisfies UploadWorkerOutput);
  },
);
