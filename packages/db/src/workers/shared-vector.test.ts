import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { sharedVector } from './shared-vector';

describe('sharedVector', () => {
  it('copies a vector onto shared memory once; a worker it is posted to sees the same memory', async () => {
    const plain = Float64Array.from([900101300007, 900101300811, 950101400123]);
    const shared = sharedVector(plain);
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...shared]).toEqual([...plain]);
    expect(sharedVector(shared)).toBe(shared);
    // Posted, not copied: what the worker writes into it shows here.
    const worker = new Worker(
      'require("node:worker_threads").parentPort.once("message", (v) => { v[0] = 1; process.exit(0); });',
      { eval: true },
    );
    worker.postMessage(shared);
    await new Promise((resolve) => worker.once('exit', resolve));
    expect(shared[0]).toBe(1);
    expect(plain[0]).toBe(900101300007);
  });
});
