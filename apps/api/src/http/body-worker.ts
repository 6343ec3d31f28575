// Large request bodies (IIN lists, uploaded files: up to 34 MB) are parsed in one long-lived worker thread, not
// on the API's: the chunks go to the worker as they arrive, and what comes back is the body with its heavy
// fields replaced by markers plus the parsed parts (preparsed-input.ts). Issue 13, item 3: no request may hold
// the event loop over 100 ms, and JSON.parse + zod + the IIN parse of a 1M-IIN create held it ~360 ms.
import type { IncomingMessage } from 'node:http';
import { LongLivedWorker, wholeBuffer } from '@campaigns/db';
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

export class BodyWorker {
  readonly #worker = new LongLivedWorker<BodyWorkerInbound, BodyWorkerOutbound>({
    name: 'body worker',
    entry: new URL('./body-worker-entry.ts', import.meta.url),
  });

  /** Starts the worker now, so that the first body does not pay its start on the API's thread. */
  start(): void {
    this.#worker.start();
  }

  /**
   * Reads and parses a JSON body of at most `limit` bytes (413 past it, 400 for bad JSON, a NUL, deep nesting
   * or a malformed heavy field). `batch`: a tRPC batch body, one input per call.
   */
  async read(req: IncomingMessage, limit: number, options: { batch: boolean }): Promise<PreparsedBody> {
    const parse = await this.#worker.call<BodyParse>({
      send: async (post, id) => {
        try {
          // Each chunk that is a whole buffer of its own is handed over, not copied (workers/whole-buffer.ts).
          await readBody(req, limit, (chunk) => post({ type: 'chunk', id, chunk }, wholeBuffer(chunk)));
        } catch (error) {
          post({ type: 'abort', id });
          throw error;
        }
        post({ type: 'end', id, batch: options.batch });
      },
      receive: (message) => ({ value: message.parse }),
    });
    if (!parse.ok) {
      if (parse.code === null) throw new Error(`body worker: ${parse.message}`);
      throw new ApiError(parse.code, parse.message, parse.issues ? { issues: parse.issues } : undefined);
    }
    return { body: parse.body, parts: parse.parts.map(partFromData) };
  }

  /** Stops the worker; bodies being read fail. */
  close(): Promise<void> {
    return this.#worker.close();
  }
}
