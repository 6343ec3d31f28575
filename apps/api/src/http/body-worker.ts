// Large request bodies (IIN lists, uploaded files: up to 34 MB) are parsed in one long-lived worker thread, not
// on the API's: the chunks go to the worker as they arrive, and what comes back is the body with its heavy
// fields replaced by markers plus the parsed parts (preparsed-input.ts). Issue 13, item 3: no request may hold
// the event loop over 100 ms, and JSON.parse + zod + the IIN parse of a 1M-IIN create held it ~360 ms.
import type { IncomingMessage } from 'node:http';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '@campaigns/db';
import { ApiError } from '../errors';
import { type PreparsedBody, partFromData } from '../preparsed-input';
import type { BodyParse } from './body-parse';
import { readBody } from './json';

export type BodyWorkerInbound =
  | { type: 'chunk'; id: number; chunk: Uint8Array }
  | { type: 'end'; id: number; batch: boolean }
  | { type: 'abort'; id: number };

export interface BodyWorkerOutbound {
  id: number;
  parse: BodyParse;
}

interface Pending {
  resolve: (parse: BodyParse) => void;
  reject: (error: Error) => void;
}

export class BodyWorker {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  /**
   * Reads and parses a JSON body of at most `limit` bytes (413 past it, 400 for bad JSON, a NUL, deep nesting
   * or a malformed heavy field). `batch`: a tRPC batch body, one input per call.
   */
  async read(req: IncomingMessage, limit: number, options: { batch: boolean }): Promise<PreparsedBody> {
    const worker = this.#started();
    const id = this.#nextId++;
    const answered = new Promise<BodyParse>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    try {
      await readBody(req, limit, (chunk) =>
        worker.postMessage({ type: 'chunk', id, chunk } satisfies BodyWorkerInbound),
      );
    } catch (error) {
      this.#pending.delete(id);
      worker.postMessage({ type: 'abort', id } satisfies BodyWorkerInbound);
      throw error;
    }
    worker.postMessage({ type: 'end', id, batch: options.batch } satisfies BodyWorkerInbound);
    const parse = await answered;
    if (!parse.ok) {
      if (parse.code === null) throw new Error(`body worker: ${parse.message}`);
      throw new ApiError(parse.code, parse.message, parse.issues ? { issues: parse.issues } : undefined);
    }
    return { body: parse.body, parts: parse.parts.map(partFromData) };
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
    this.#failAll(new Error('body worker closed'));
  }

  /** The worker, started on first use (a restart after it died); it never keeps the process alive. */
  #started(): Worker {
    if (this.#worker) return this.#worker;
    const worker = startModuleWorker(new URL('./body-worker-entry.ts', import.meta.url), null);
    worker.unref();
    worker.on('message', (message: BodyWorkerOutbound) => {
      const pending = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      pending?.resolve(message.parse);
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = null;
      this.#failAll(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`body worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
