// Parses uploads in one long-lived worker thread (workers/long-lived-worker.ts), so a million-row file never
// blocks the caller's event loop. One file at a time, which is what two cores can parse anyway; files wait in a
// bounded queue, and past it an upload is refused as busy. The worker answers the accepted IINs sorted and
// distinct (transferred, not copied) with the compact report, or the UploadError that refused the file. A worker
// that dies fails its file only; the next file starts a new one. Its owner (the App) closes it.
import { LongLivedWorker } from '../workers/long-lived-worker';
import type { UploadFormat } from './parse-upload';
import { UploadError, type UploadProblemCode } from './upload-error';
import type { UploadSummary } from './upload-summary';

export interface UploadWorkerInput {
  format: UploadFormat;
  bytes: Uint8Array;
  /** The IIN column (0-based) the marketer picked, when the file had several candidates. */
  column?: number | undefined;
}

export interface UploadWorkerRequest {
  id: number;
  input: UploadWorkerInput;
}

export type UploadWorkerOutput = { id: number } & (
  | { type: 'progress'; rows: number }
  | { type: 'done'; iins: Float64Array; summary: UploadSummary }
  | { type: 'error'; code: UploadProblemCode; message: string; details?: Record<string, unknown> | undefined }
);

export interface ParsedUpload {
  iins: Float64Array;
  summary: UploadSummary;
}

/** Files that may wait for the parser: each holds its bytes (up to the upload limit) meanwhile. */
export const defaultMaxWaitingUploads = 16;

export class UploadParser {
  readonly #worker: LongLivedWorker<UploadWorkerRequest, UploadWorkerOutput>;

  constructor(options: { maxWaiting?: number } = {}) {
    this.#worker = new LongLivedWorker({
      name: 'upload worker',
      entry: new URL('./upload-worker-entry.ts', import.meta.url),
      concurrency: 1,
      maxWaiting: options.maxWaiting ?? defaultMaxWaitingUploads,
      busy: (waiting) =>
        new UploadError(
          'UPLOAD.BUSY',
          `${waiting} files are already waiting to be read; upload this one again in a minute.`,
        ),
    });
  }

  /** Workers started so far: one for any number of files unless one died. */
  get workersStarted(): number {
    return this.#worker.workersStarted;
  }

  /** The accepted IINs (sorted, distinct) and the report; `onRows` hears the rows read so far. */
  parse(input: UploadWorkerInput, onRows: (rows: number) => void): Promise<ParsedUpload> {
    return this.#worker.call<ParsedUpload>({
      // Copied to the worker, not transferred: the caller's bytes may be a view on a buffer it still uses.
      send: (post, id) => post({ id, input }),
      receive: (message) => {
        if (message.type === 'progress') return void onRows(message.rows);
        if (message.type === 'done') return { value: { iins: message.iins, summary: message.summary } };
        return { error: new UploadError(message.code, message.message, message.details) };
      },
    });
  }

  /** Stops the worker; files still waiting or being read fail. */
  close(): Promise<void> {
    return this.#worker.close();
  }
}
