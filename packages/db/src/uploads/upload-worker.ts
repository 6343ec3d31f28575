// Parses uploads in one long-lived worker thread (workers/long-lived-worker.ts), so a million-row file never
// blocks the caller's event loop. One file at a time, which is what two cores can parse anyway; files wait in a
// bounded queue, and past it an upload is refused as busy. The worker answers the accepted IINs sorted and
// distinct, already encoded as the store keeps them (iin-snapshot-codec.ts: ~2 MB for a million, handed over),
// with the compact report, or the UploadError that refused the file: the caller's thread never holds the 8 MB
// vector nor encodes it. A worker that dies fails its file only; the next file starts a new one. Its owner (the
// App) closes it.
import type { EncodedIinSnapshot } from '../store/iin-snapshot-codec';
import { LongLivedWorker } from '../workers/long-lived-worker';
import { wholeBuffer } from '../workers/whole-buffer';
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
  | { type: 'done'; snapshot: EncodedIinSnapshot; summary: UploadSummary }
  | { type: 'error'; code: UploadProblemCode; message: string; details?: Record<string, unknown> | undefined }
);

export interface ParsedUpload {
  /** The accepted IINs, sorted and distinct, encoded for the store. */
  snapshot: EncodedIinSnapshot;
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

  /**
   * The accepted IINs and the report; `onRows` hears the rows read so far. The file's bytes are handed to the
   * worker when they are a whole buffer of their own (they read empty here after); a view on part of a buffer
   * is copied.
   */
  parse(input: UploadWorkerInput, onRows: (rows: number) => void): Promise<ParsedUpload> {
    return this.#worker.call<ParsedUpload>({
      send: (post, id) => post({ id, input }, wholeBuffer(input.bytes)),
      receive: (message) => {
        if (message.type === 'progress') return void onRows(message.rows);
        if (message.type === 'done')
          return { value: { snapshot: message.snapshot, summary: message.summary } };
        return { error: new UploadError(message.code, message.message, message.details) };
      },
    });
  }

  /** Stops the worker; files still waiting or being read fail. */
  close(): Promise<void> {
    return this.#worker.close();
  }
}
