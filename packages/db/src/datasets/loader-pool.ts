// A few long-lived worker threads that decode parquet datasets and sort IIN vectors in parallel. Two cores decode
// a cold set of datasets in about half the time, a big upload is sorted in two halves at once, and a warm pass
// over the merged index runs half of its buckets in a worker. Created once
// per process (starting a worker from source costs a few hundred ms) and shared.
//
// Tasks wait in one queue and a worker takes the next one when it becomes idle: binding a task to a worker when
// it is sent (by busy count) put the two biggest datasets behind each other on one worker (3.3 s vs 1.0 s).
// Among waiting tasks the costliest goes first (callers give the file size), so the long jobs start early and the
// short ones fill the gaps at the end.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import {
  type BucketMergeJob,
  type BucketMergeResult,
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

interface Queued {
  task: Task;
  cost: number;
  transfer: ArrayBuffer[];
  resolve: (reply: LoaderReply & { ok: true }) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The task this worker runs, with its id; undefined while idle. */
  running: { id: number; job: Queued } | undefined;
  /** The worker died (uncaught error or exit): it takes no more tasks. */
  dead: boolean;
}

export class LoaderPool {
  private readonly slots: Slot[];
  private readonly queue: Queued[] = [];
  private nextId = 1;
  private closed = false;

  constructor(threads = Math.min(2, availableParallelism())) {
    this.slots = Array.from({ length: Math.max(1, threads) }, () => {
      const worker = startModuleWorker(new URL('./loader-worker.ts', import.meta.url), {});
      const slot: Slot = { worker, running: undefined, dead: false };
      worker.on('message', (reply: LoaderReply) => this.finished(slot, reply));
      worker.on('error', (error) => this.died(slot, error));
      worker.on('exit', () => this.died(slot, new Error('loader worker exited')));
      worker.unref(); // an idle pool never keeps the process alive
      return slot;
    });
  }

  get threads(): number {
    return this.slots.length;
  }

  /**
   * Reads and decodes a parquet dataset in a worker; `ms` is the worker's own read + decode time (without the
   * wait in the queue). Rejects with the decoder's DatasetError. `cost` orders the waiting tasks, highest first
   * (the file size is a good guess); equal costs keep their order.
   */
  async decode(
    file: string,
    columns: { iinColumn: string; valueColumn?: string | undefined },
    cost = 0,
  ): Promise<{ dataset: DecodedDataset; ms: number }> {
    const reply = await this.submit({ kind: 'decode', file, ...columns }, cost);
    return { dataset: reply.dataset!, ms: reply.ms ?? 0 };
  }

  /**
   * Sorted unique IINs, using the calling thread and one worker at once: half is sorted there while the other
   * half is sorted here, then the halves are merged. Small inputs are sorted here alone.
   */
  async sortUnique(values: ArrayLike<number>): Promise<IinVector> {
    const all = values instanceof Float64Array ? values : new Float64Array(values as ArrayLike<number>);
    if (all.length < 1 << 18) return sortUniqueHere(all);
    const half = all.length >>> 1;
    const copy = all.slice(half);
    // Ahead of waiting decodes: the caller waits on it now.
    const there = this.submit({ kind: 'sort', values: copy }, Number.POSITIVE_INFINITY, [copy.buffer]);
    const here = sortUniqueHere(all.subarray(0, half)); // reads the caller's array, does not change it
    const other = (await there).sorted!;
    return unionAll([here, other]);
  }

  /**
   * Runs one job of a split warm pipeline pass (core's runFilterPipelineSplit) in a worker, ahead of any waiting
   * decode: the caller is merging the other half meanwhile. The job's arrays are shared, so nothing is copied.
   */
  async mergeBuckets(job: BucketMergeJob): Promise<BucketMergeResult> {
    return (await this.submit({ kind: 'merge', job }, Number.POSITIVE_INFINITY)).merged!;
  }

  async close(): Promise<void> {
    this.closed = true;
    const closed = new Error('loader pool closed');
    for (const job of this.queue.splice(0)) job.reject(closed);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private submit(
    task: Task,
    cost: number,
    transfer: ArrayBuffer[] = [],
  ): Promise<LoaderReply & { ok: true }> {
    if (this.closed) return Promise.reject(new Error('loader pool closed'));
    return new Promise((resolve, reject) => {
      const job: Queued = { task, cost, transfer, resolve, reject };
      // Keep the queue ordered by cost, highest first; a new task goes after those of equal cost.
      let at = this.queue.length;
      while (at > 0 && this.queue[at - 1]!.cost < cost) at--;
      this.queue.splice(at, 0, job);
      this.dispatch();
    });
  }

  /** Hands queued tasks to idle workers. */
  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.running || slot.dead || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      const id = this.nextId++;
      slot.running = { id, job };
      slot.worker.ref();
      slot.worker.postMessage({ ...job.task, id } as LoaderTask, job.transfer);
    }
  }

  private finished(slot: Slot, reply: LoaderReply): void {
    const running = slot.running;
    if (!running || running.id !== reply.id) return;
    slot.running = undefined;
    slot.worker.unref();
    this.dispatch();
    if (reply.ok) running.job.resolve(reply);
    else if (reply.code)
      running.job.reject(new DatasetError(reply.code as DatasetProblemCode, reply.message));
    else running.job.reject(new Error(reply.message));
  }

  /** A worker died (or was terminated): its task fails; when no worker is left, the waiting ones fail too. */
  private died(slot: Slot, error: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    const running = slot.running;
    slot.running = undefined;
    running?.job.reject(this.closed ? new Error('loader pool closed') : error);
    if (this.slots.every((s) => s.dead)) for (const job of this.queue.splice(0)) job.reject(error);
  }
}
