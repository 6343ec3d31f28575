// Parses uploads in long-lived worker threads (workers/long-lived-worker.ts), so a million-row file never blocks
// the caller's event loop. Two lanes, one worker each, one file at a time in each: files up to 1 MiB (~75,000
// CSV rows, read in about a second) go to the small lane, larger ones to the big lane, so a marketer's small
// file (or a zip bomb's refusal) never waits behind someone else's million-row file (issue 13: it waited 25 s).
// Each lane's files wait in a bounded queue, and past it an upload is refused as busy; memory stays bounded by
// the two lanes' queues (16 files of up to 1 MiB, 16 of up to the upload limit). The worker answers the accepted
// IINs sorted, distinct, already encoded as the store keeps them (iin-snapshot-codec.ts: ~2 MB for a million,
// handed over), with the compact report, or the UploadError that refused the file: the caller's thread never
// holds the 8 MB vector nor encodes it. A worker that dies fails its file only; the next file starts a new one.
// Its owner (the App) closes it.
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

/** Files up to this size take the small lane. */
export const smallUploadBytes = 1 << 20;

type Lane = LongLivedWorker<UploadWorkerRequest, UploadWorkerOutput>;

export class UploadParser {
  readonly #small: Lane;
  readonly #big: Lane;

  constructor(options: { maxWaiting?: number } = {}) {
    const lane = (name: string): Lane =>
      new LongLivedWorker({
        name,
        entry: new URL('./upload-worker-entry.ts', import.meta.url),
        concurrency: 1,
        maxWaiting: options.maxWaiting ?? defaultMaxWaitingUploads,
        busy: (waiting) =>
          new UploadError(
            'UPLOAD.BUSY',
            `${waiting} files are already waiting to be read; upload this one again in a minute.`,
          ),
      });
    this.#small = lane('upload worker (small files)');
    this.#big = lane('upload worker');
  }

  /**
   * Starts both lanes' workers now, so that no upload pays a start on the caller's thread (the small lane's
   * first file used to start it while a big file was being read).
   */
  start(): void {
    this.#small.start();
    this.#big.start();
  }

  /** Workers started so far: one per lane used, for any number of files, unless one died. */
  get workersStarted(): number {
    return this.#small.workersStarted + this.#big.workersStarted;
  }

  /**
   * The accepted IINs and the report; `onRows` hears the rows read so far. The file's bytes are handed to the
   * worker when they are a whole buffer of their own (they read empty here after); a view on part of a buffer
   * is copied.
   */
  parse(input: UploadWorkerInput, onRows: (rows: number) => void): Promise<ParsedUpload> {
    const lane = input.bytes.byteLength <= smallUploadBytes ? this.#small : this.#big;
    return lane.call<ParsedUpload>({
      send: (post, id) => post({ id, input }, wholeBuffer(input.bytes)),
      receive: (message) => {
        if (message.type === 'progress') return void onRows(message.rows);
        if (message.type === 'done')
          return { value: { snapshot: message.snapshot, summary: message.summary } };
        return { error: new UploadError(message.code, message.message, message.details) };
      },
    });
  }

  /** Stops the workers; files still waiting or being read fail. */
  async close(): Promise<void> {
    await Promise.all([this.#small.close(), this.#big.close()]);
  }
}
