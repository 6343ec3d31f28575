// Runs audience jobs in a worker thread so filtering millions of IINs never blocks the API's event loop. One
// long-lived worker per DATA_DIR is the only owner of decoded datasets (filter-worker.ts): the API thread asks it
// for runs, descriptions, product selections and sample facts and holds no decoded vector itself. Jobs queue inside it.
import type { Worker } from 'node:worker_threads';
import {
  DATASET_PROBLEMS,
  DatasetError,
  type DatasetProblemCode,
  type ProductSelection,
} from '@campaigns/core';
import type { AudienceSampleFacts, SampleFactsRequest } from './audience-sample';
import type { PreparationProgress } from './dataset-preparer';
import type { DatasetDescription } from './dataset-store';
import type { WorkerInbound, WorkerOutbound } from './filter-worker';
import { startModuleWorker } from './module-worker';
import type { DatasetKind } from './registry';
import type { AudienceRunProgress, AudienceRunRequest, AudienceRunResult } from './run-audience';

interface Pending {
  resolve: (value: never) => void;
  reject: (error: Error) => void;
  onProgress?: ((progress: AudienceRunProgress) => void) | undefined;
}

export class AudienceWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private preparationNow: PreparationProgress | undefined;

  constructor(dataDir: string) {
    this.worker = startWorker(dataDir);
    this.worker.on('message', (message: WorkerOutbound) => this.onMessage(message));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`audience worker exited with code ${code}`)));
  }

  /**
   * Runs load + filter + split in the worker. The input vectors are copied, not transferred; `{ allClients:
   * true }` starts from the client list the worker reads, which stays there (unless `returnInput` asks for it).
   */
  run(
    request: AudienceRunRequest,
    onProgress?: (progress: AudienceRunProgress) => void,
  ): Promise<AudienceRunResult> {
    return this.send({ id: this.nextId++, request }, onProgress);
  }

  /**
   * Starts the worker's background preparation (idempotent): every dataset loaded now, and again whenever
   * datasets.json or a dataset file changes.
   */
  prepare(): void {
    this.worker.postMessage({ id: this.nextId++, prepare: true } satisfies WorkerInbound);
  }

  /** Drops the worker's datasets from memory (and prepares them again if it was preparing). */
  reload(): void {
    this.worker.postMessage({ id: this.nextId++, reload: true } satisfies WorkerInbound);
  }

  /** The latest preparation progress the worker reported (undefined before it reported any). */
  preparation(): PreparationProgress | undefined {
    return this.preparationNow;
  }

  /** The worker's view of the datasets (what it has cached), after loading the kinds in `load`. */
  describeDatasets(load: DatasetKind[] = []): Promise<DatasetDescription[]> {
    return this.send({ id: this.nextId++, describe: true, load });
  }

  /** Everyone holding any of `products`, from the product dataset the worker holds (a DatasetError if none). */
  selectByProducts(products: readonly string[]): Promise<ProductSelection> {
    return this.send({ id: this.nextId++, products: [...products] });
  }

  /** What the config's steps read about a few IINs (the audience sample), from the worker's datasets. */
  sampleFacts(request: SampleFactsRequest): Promise<AudienceSampleFacts> {
    return this.send({ id: this.nextId++, sample: request });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
    this.failAll(new Error('audience worker closed'));
  }

  private send<T>(message: WorkerInbound, onProgress?: (progress: AudienceRunProgress) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.set(message.id, {
        resolve: resolve as (value: never) => void,
        reject,
        onProgress,
      });
      this.worker.postMessage(message);
    });
  }

  private onMessage(message: WorkerOutbound): void {
    if (message.type === 'preparation') {
      this.preparationNow = message.progress;
      return;
    }
    const job = this.pending.get(message.id);
    if (!job) return;
    switch (message.type) {
      case 'progress':
        job.onProgress?.(message.progress);
        return;
      case 'result':
        this.pending.delete(message.id);
        job.resolve(message.result as never);
        return;
      case 'described':
        this.pending.delete(message.id);
        job.resolve(message.datasets as never);
        return;
      case 'products':
        this.pending.delete(message.id);
        job.resolve(message.selection as never);
        return;
      case 'sampled':
        this.pending.delete(message.id);
        job.resolve(message.facts as never);
        return;
      case 'error':
        this.pending.delete(message.id);
        job.reject(rebuildError(message.message, message.code));
        return;
    }
  }

  private failAll(error: Error): void {
    for (const job of this.pending.values()) job.reject(error);
    this.pending.clear();
  }
}

function startWorker(dataDir: string): Worker {
  return startModuleWorker(new URL('./filter-worker.ts', import.meta.url), { dataDir });
}

/** The worker's typed errors keep their class and code across the thread boundary. */
function rebuildError(message: string, code: string | undefined): Error {
  if (code && Object.hasOwn(DATASET_PROBLEMS, code))
    return new DatasetError(code as DatasetProblemCode, message);
  return new Error(message);
}
