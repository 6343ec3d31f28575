import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors';

/** Largest JSON body accepted: a 1,048,576-row IIN list as JSON strings is about 16 MB. */
export const maxJsonBodyBytes = 32 * 1024 * 1024;

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

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxJsonBodyBytes) {
      throw new ApiError('REQUEST.TOO_LARGE', `The request body is larger than ${maxJsonBodyBytes} bytes.`);
    }
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('REQUEST.INVALID_JSON', 'The request body is not valid JSON.');
  }
}
