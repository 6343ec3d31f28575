// Worker thread (body-worker.ts starts it): collects each request's body chunks as they arrive and answers the
// parse (body-parse.ts) when the body ends, handing the typed arrays over instead of copying them.
import { parentPort } from 'node:worker_threads';
import { parseBody, transferablesOf } from './body-parse';
import type { BodyWorkerInbound, BodyWorkerOutbound } from './body-worker';

const port = parentPort;
const bodies = new Map<number, Uint8Array[]>();

port?.on('message', (message: BodyWorkerInbound) => {
  const chunks = bodies.get(message.id) ?? [];
  if (message.type === 'chunk') {
    chunks.push(message.chunk);
    bodies.set(message.id, chunks);
    return;
  }
  bodies.delete(message.id);
  if (message.type === 'abort') return;
  let parse: BodyWorkerOutbound['parse'];
  try {
    parse = parseBody(Buffer.concat(chunks).toString('utf8'), message.batch);
  } catch (error) {
    parse = { ok: false, code: null, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage({ id: message.id, parse } satisfies BodyWorkerOutbound, transferablesOf(parse));
});
