import { z } from 'zod';

// An uploaded file's bytes as a request carries them (`content_base64`): base64 text from in-process callers,
// or bytes the body worker (http/body-worker.ts) already checked and decoded off the API's thread.

export const uploadContentSchema = z.union([z.base64(), z.instanceof(Uint8Array)]);

export function uploadContentBytes(content: string | Uint8Array): Uint8Array {
  return typeof content === 'string' ? new Uint8Array(Buffer.from(content, 'base64')) : content;
}
