// Runs audience jobs in a worker thread so filtering millions of IINs never blocks the API's event loop. One
// long-lived worker per DATA_DIR is the only owner of decoded datasets (filter-worker.ts): the API thread asks it
// for runs, descriptions, product selections and sample facts and holds no decoded vector itself. Jobs queue
// inside it. The calls pending by id, the restart after a death and the close are LongLivedWorker's; the answers'
// vectors come on shared memory (filter-worker.ts), never copied.
import {
  DATASET_PROBLEMS,
  DatasetError,
  type DatasetProblemCode,
  type ProductSelection,
} from '@campaigns/core';
import { type CallOutcome, LongLivedWorker } from '../workers/long-lived-worker';
import type { AudienceSampleFacts, SampleFactsRequest } from './audience-sample';
import type { PreparationProgress } from './dataset-preparer';
import type { DatasetDescription } from './dataset-store';
import type { WorkerInbound, WorkerOutbound } from './filter-worker';
import type { DatasetKind } from './registry';
import type { AudienceRunProgress, AudienceRunRequest, AudienceRunResult } from './run-audience';

type Answer = Exclude<WorkerOutbound, { type: 'preparation' | 'progress' }>;

export class AudienceWorker {
  readonly #worker: LongLivedWorker<WorkerInbound, WorkerOutbound>;
  #preparing = false;
  #preparationNow: PreparationProgress | undefined;

  constructor(dataDir: string) {
    this.#worker = new LongLivedWorker<WorkerInbound, WorkerOutbound>({
      name: 'audience worker',
      entry: new URL('./filter-worker.ts', import.meta.url),
      workerData: { dataDir },
      unsolicited: (message) => {
        const news = message as WorkerOutbound;
        if (news.type === 'preparation') this.#preparationNow = news.progress;
      },
      // A worker started after one died resumes the preparation its predecessor was asked for.
      onStart: () => {
        if (this.#preparing) this.#worker.tell((id) => ({ id, prepare: true }));
      },
    });
  }

  /** Workers started so far: one for any number of jobs, unless one died. */
  get workersStarted(): number {
    return this.#worker.workersStarted;
  }

  /** Starts the worker now (idle, it never keeps the process alive), so that the first job does not pay for it. */
  start(): void {
    this.#worker.start();
  }

  /**
   * Runs load + filter + split in the worker. The input vectors are copied, not transferred; `{ allClients:
   * true }` starts from the client list the worker reads, which stays there (unless `returnInput` asks for it).
   */
  run(
    request: AudienceRunRequest,
    onProgress?: (progress: AudienceRunProgress) => void,
  ): Promise<AudienceRunResult> {
    return this.#ask(
      (id) => ({ id, request }),
      'result',
      (answer) => answer.result,
      onProgress,
    );
  }

  /**
   * Starts the worker's background preparation (idempotent): every dataset loaded now, and again whenever
   * datasets.json or a dataset file changes.
   */
  prepare(): void {
    this.#worker.tell((id) => ({ id, prepare: true }));
    this.#preparing = true; // after: the first worker's start is not told twice
  }

  /** Drops the worker's datasets from memory (and prepares them again if it was preparing). */
  reload(): void {
    this.#worker.tell((id) => ({ id, reload: true }));
  }

  /** The latest preparation progress the worker reported (undefined before it reported any). */
  preparation(): PreparationProgress | undefined {
    return this.#preparationNow;
  }

  /** The worker's view of the datasets (what it has cached), after loading the kinds in `load`. */
  describeDatasets(load: DatasetKind[] = []): Promise<DatasetDescription[]> {
    return this.#ask(
      (id) => ({ id, describe: true, load }),
      'described',
      (answer) => answer.datasets,
    );
  }

  /** Everyone holding any of `products`, from the product dataset the worker holds (a DatasetError if none). */
  selectByProducts(products: readonly string[]): Promise<ProductSelection> {
    return this.#ask(
      (id) => ({ id, products: [...products] }),
      'products',
      (answer) => answer.selection,
    );
  }

  /** What the config's steps read about a few IINs (the audience sample), from the worker's datasets. */
  sampleFacts(request: SampleFactsRequest): Promise<AudienceSampleFacts> {
    return this.#ask(
      (id) => ({ id, sample: request }),
      'sampled',
      (answer) => answer.facts,
    );
  }

  close(): Promise<void> {
    return this.#worker.close();
  }

  /** One call: its message, the answer type it expects and what of it to resolve with; progress on the way. */
  #ask<K extends Answer['type'], T>(
    message: (id: number) => WorkerInbound,
    type: K,
    value: (answer: Extract<Answer, { type: K }>) => T,
    onProgress?: (progress: AudienceRunProgress) => void,
  ): Promise<T> {
    return this.#worker.call<T>({
      send: (post, id) => post(message(id)),
      receive: (answer): CallOutcome<T> => {
        if (answer.type === 'progress') {
          onProgress?.(answer.progress);
          return undefined;
        }
        if (answer.type === type) return { value: value(answer as Extract<Answer, { type: K }>) };
        if (answer.type === 'error') return { error: rebuildError(answer.message, answer.code) };
        return { error: new Error(`audience worker answered ${answer.type} where ${type} was due`) };
      },
    });
  }
}

/** The worker's typed errors keep their class and code across the thread boundary. */
function rebuildError(message: string, code: string | undefined): Error {
  if (code && Object.hasOwn(DATASET_PROBLEMS, code))
    return new DatasetError(code as DatasetProblemCode, message);
  return new Error(message);
}
