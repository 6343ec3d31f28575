// Parses uploads in one long-lived worker thread, so a million-row file never blocks the caller's event loop.
// One worker, reused: starting a worker costs its caller's thread ~60 ms (issue 13, item 3: no stall over
// 100 ms), and one file at a time is what two cores can parse anyway. Files wait in a bounded queue; past it an
// upload is refused as busy. The worker boots as every worker of ours does (datasets/module-worker.ts); it
// answers the accepted IINs sorted and distinct (transferred, not copied) with the compact report, or the
// UploadError that refused the file. A worker that dies fails its file only; the next file starts a new one.
import type { Worker } from 'node:worker_threads';
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

interface Task {
  id: number;
  input: UploadWorkerInput;
  onRows: (rows: number) => void;
  resolve: (parsed: ParsedUpload) => void;
  reject: (error: Error) => void;
}

/** Files that may wait for the parser: each holds its bytes (up to the upload limit) meanwhile. */
export const defaultMaxWaitingUploads = 16;

export class UploadParser {
  readonly #maxWaiting: number;
  readonly #waiting: Task[] = [];
  #current: Task | null = null;
  #worker: Worker | null = null;
  #nextId = 1;
  /** Workers started so far: one for any number of files unless one died. */
  #started = 0;

  constructor(options: { maxWaiting?: number } = {}) {
    this.#maxWaiting = options.maxWaiting ?? defaultMaxWaitingUploads;
  }

  get workersStarted(): number {
    return this.#started;
  }

  /** The accepted IINs (sorted, distinct) and the report; `onRows` hears the rows read so far. */
  parse(input: UploadWorkerInput, onRows: (rows: number) => void): Promise<ParsedUpload> {
    if (this.#waiting.length >= this.#maxWaiting) {
      return Promise.reject(
        new UploadError(
          'UPLOAD.BUSY',
          `${this.#waiting.length} files are already waiting to be read; upload this one again in a minute.`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ id: this.#nextId++, input, onRows, resolve, reject });
      this.#next();
    });
  }

  /** Stops the worker; files still waiting or being read fail. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    const failed = new Error('upload parser closed');
    this.#current?.reject(failed);
    this.#current = null;
    for (const task of this.#waiting.splice(0)) task.reject(failed);
    if (worker) {
      worker.removeAllListeners();
      await worker.terminate();
    }
  }

  #next(): void {
    if (this.#current) return;
    const task = this.#waiting.shift();
    if (!task) {
      // Idle between files, it never keeps the process alive.
      this.#worker?.unref();
      return;
    }
    this.#current = task;
    this.#worker ??= this.#start();
    this.#worker.ref();
    // Copied to the worker, not transferred: the caller's bytes may be a view on a buffer it still uses.
    this.#worker.postMessage({ id: task.id, input: task.input } satisfies UploadWorkerRequest);
  }

  #start(): Worker {
    const worker = startModuleWorker(new URL('./upload-worker-entry.ts', import.meta.url), null);
    this.#started++;
    worker.on('message', (message: UploadWorkerOutput) => {
      const task = this.#current;
      if (!task || task.id !== message.id) return;
      if (message.type === 'progress') return task.onRows(message.rows);
      this.#current = null;
      if (message.type === 'done') task.resolve({ iins: message.iins, summary: message.summary });
      else task.reject(new UploadError(message.code, message.message, message.details));
      this.#next();
    });
    const died = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      const task = this.#current;
      this.#current = null;
      task?.reject(error);
      this.#next();
    };
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`upload worker exited with code ${code}`)));
    return worker;
  }
}

const shared = new UploadParser();

/** Parses one upload on the process's shared parser (one worker for every upload of the process). */
export function parseUploadInWorker(
  input: UploadWorkerInput,
  onRows: (rows: number) => void,
): Promise<ParsedUpload> {
  return shared.parse(input, onRows);
}

/** How many upload workers this process has started: one for any number of files, unless one died. */
export function uploadWorkersStarted(): number {
  return shared.workersStarted;
}
