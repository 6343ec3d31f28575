// Worker thread entry for the LoaderPool: decodes parquet datasets, sorts IIN vectors and merges half of a warm
// pipeline pass off the calling thread, handing the resulting vectors back by transfer (no copy); the merge reads
// and writes shared buffers.
import { parentPort } from 'node:worker_threads';
import {
  type BucketMergeJob,
  type BucketMergeResult,
  type DecodedDataset,
  isDatasetError,
  mergeBuckets,
  sortUniqueInPlace,
} from '@campaigns/core';
import { decodeParquetFile } from './parquet-file';

export type LoaderTask =
  | { id: number; kind: 'decode'; file: string; iinColumn: string; valueColumn?: string | undefined }
  | { id: number; kind: 'sort'; values: Float64Array }
  | { id: number; kind: 'merge'; job: BucketMergeJob };

export type LoaderReply =
  | {
      id: number;
      ok: true;
      dataset?: DecodedDataset;
      sorted?: Float64Array;
      merged?: BucketMergeResult;
      ms?: number;
    }
  | { id: number; ok: false; code?: string; message: string };

const port = parentPort;
// One task at a time per worker: a decode holds a few hundred MB while it runs, so tasks queue rather than overlap.
let queue: Promise<void> = Promise.resolve();
port?.on('message', (task: LoaderTask) => {
  queue = queue.then(() => handle(task));
});

async function handle(task: LoaderTask): Promise<void> {
  try {
    if (task.kind === 'merge') {
      port!.postMessage({ id: task.id, ok: true, merged: mergeBuckets(task.job) } satisfies LoaderReply);
      return;
    }
    if (task.kind === 'sort') {
      const sorted = sortUniqueInPlace(task.values);
      port!.postMessage({ id: task.id, ok: true, sorted } satisfies LoaderReply, [
        sorted.buffer as ArrayBuffer,
      ]);
      return;
    }
    const started = performance.now();
    const dataset = await decodeParquetFile(task.file, {
      iinColumn: task.iinColumn,
      valueColumn: task.valueColumn,
    });
    const buffers = new Set<ArrayBuffer>([dataset.iins.buffer as ArrayBuffer]);
    if (dataset.values) buffers.add(dataset.values.masks.buffer as ArrayBuffer);
    const ms = performance.now() - started;
    port!.postMessage({ id: task.id, ok: true, dataset, ms } satisfies LoaderReply, [...buffers]);
  } catch (error) {
    const code = isDatasetError(error) ? error.code : undefined;
    port!.postMessage({
      id: task.id,
      ok: false,
      ...(code ? { code } : {}),
      message: (error as Error).message ?? String(error),
    } satisfies LoaderReply);
  }
}
