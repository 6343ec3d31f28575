// A few long-lived worker threads that decode parquet datasets and sort IIN vectors in parallel. Two cores decode
// a cold set of datasets in about half the time, and a big upload is sorted in two halves at once. Created once
// per process (starting a worker from source costs a few hundred ms) and shared.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import {
  DatasetError,
  type DatasetProblemCode,
  type DecodedDataset,
  type IinVector,
  sortUnique as sortUniqueHere,
  unionAll,
} from '@campaigns/core';
import type { LoaderReply, LoaderTask } from './loader-worker';
import { startModuleWorker } from './module-worker';

type Task = LoaderTask extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;

interface Slot {
  worker: Worker;
  busy: number;
}

export class LoaderPool {
  private readonly slots: Slot[];
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (reply: LoaderReply) => void; reject: (e: Error) => void }
  >();

  constructor(threads = Math.min(2, availableParallelism())) {
    this.slots = Array.from({ length: Math.max(1, threads) }, () => {
      const worker = startModuleWorker(new URL('./loader-worker.ts', import.meta.url), {});
      worker.on('message', (reply: LoaderReply) => {
        const job = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        job?.resolve(reply);
      });
      worker.on('error', (error) => this.failAll(error));
      worker.unref(); // an idle pool never keeps the process alive
      return { worker, busy: 0 };
    });
  }

  get threads(): number {
    return this.slots.length;
  }

  /** Reads and decodes a parquet dataset in a worker. Rejects with the decoder's DatasetError. */
  async decode(
    file: string,
    columns: { iinColumn: string; valueColumn?: string | undefined },
  ): Promise<DecodedDataset> {
    const reply = await this.send({ kind: 'decode', file, ...columns });
    return reply.dataset!;
  }

  /**
   * Sorted unique IINs, using the calling thread and one worker at once: half is sorted there while the other
   * half is sorted here, then the halves are merged. Small inputs are sorted here alone.
   */
  async sortUnique(values: ArrayLike<number>): Promise<IinVector> {
    const all = values instanceof Float64Array ? values : new Float64Array(values as ArrayLike<number>);
    if (all.length < 1 << 18) return sortUniqueHere(all);
    const half = all.length >>> 1;
    const there = this.send({ kind: 'sort', values: all.slice(half) }, true);
    const here = sortUniqueHere(all.subarray(0, half)); // reads the caller's array, does not change it
    const other = (await there).sorted!;
    return unionAll([here, other]);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.failAll(new Error('loader pool closed'));
  }

  private send(task: Task, transfer = false): Promise<LoaderReply & { ok: true }> {
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    slot.worker.ref();
    return new Promise<LoaderReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const message = { ...task, id } as LoaderTask;
      const buffers = transfer && message.kind === 'sort' ? [message.values.buffer as ArrayBuffer] : [];
      slot.worker.postMessage(message, buffers);
    }).then((reply) => {
      slot.busy--;
      if (slot.busy === 0) slot.worker.unref();
      if (!reply.ok) {
        if (reply.code) throw new DatasetError(reply.code as DatasetProblemCode, reply.message);
        throw new Error(reply.message);
      }
      return reply;
    });
  }

  private failAll(error: Error): void {
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
  }
}
