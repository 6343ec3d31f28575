import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors';
import { assertSafeInput } from '../input-guard';

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

function tooLarge(limit: number): ApiError {
  return new ApiError('REQUEST.TOO_LARGE', `The request body is larger than ${limit} bytes.`, { limit });
}

/**
 * Reads the body chunk by chunk into `take`, refused with 413 as soon as it is known to pass `limit`: at once
 * from Content-Length, otherwise when the bytes read pass it (nothing beyond the limit is kept).
 */
export async function readBody(
  req: IncomingMessage,
  limit: number,
  take: (chunk: Buffer) => void,
): Promise<void> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw tooLarge(limit);
    take(buffer);
  }
}

/** The body as text (readBody's limits). */
export async function readBodyText(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  await readBody(req, limit, (chunk) => chunks.push(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body within `limit`, checked for NUL characters and depth (input-guard.ts). */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const text = await readBodyText(req, limit);
  if (text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('REQUEST.INVALID_JSON', 'The request body is not valid JSON.');
  }
  assertSafeInput(body);
  return body;
}
