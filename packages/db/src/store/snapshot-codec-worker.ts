// Worker thread of SnapshotCodec (snapshot-codec.ts): encodes and decodes audience snapshots one message at a
// time: the bytes it made are handed back, the vectors it decoded are shared (workers/shared-vector.ts). Slices
// are pointless on a thread that answers nobody else, so each runs in one pass.
import { parentPort } from 'node:worker_threads';
import { sharedVector } from '../workers/shared-vector';
import { decodeIinSnapshot, encodeIinSnapshot } from './iin-snapshot-codec';
import type { SnapshotCodecAnswer, SnapshotCodecRequest } from './snapshot-codec';

const port = parentPort;
const onePass = Number.MAX_SAFE_INTEGER;

port?.on('message', (request: SnapshotCodecRequest) => {
  const { id } = request;
  Promise.resolve(request)
    .then(async (r) => {
      if (r.op === 'encode') {
        const snapshot = await encodeIinSnapshot(r.iins, onePass);
        port.postMessage({ id, type: 'encoded', snapshot } satisfies SnapshotCodecAnswer, [
          snapshot.bytes.buffer as ArrayBuffer,
        ]);
        return;
      }
      // On shared memory: the API thread may pass it on to another worker (the audience worker) at no cost.
      const iins = sharedVector(await decodeIinSnapshot(r.bytes, r.count, onePass, r.sha256));
      port.postMessage({ id, type: 'decoded', iins } satisfies SnapshotCodecAnswer);
    })
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      port.postMessage({ id, type: 'error', message } satisfies SnapshotCodecAnswer);
    });
});
