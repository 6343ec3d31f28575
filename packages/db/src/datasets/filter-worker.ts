// Worker thread entry, started by AudienceWorker: the one DatasetStore of the process lives here (the API thread
// holds no decoded dataset), so datasets are decoded once and stay cached between runs. It answers runs (with
// progress messages and a final result), descriptions and product selections, each with a reply or an error; an
// "all clients" run reads the client list here and keeps it here. Its own LoaderPool decodes datasets on two
// threads and takes half of each warm pass. Asked to prepare, it loads every dataset in the background (and again
// when a file changes), reporting progress.
import { parentPort, workerData } from 'node:worker_threads';
import type { ProductSelection } from '@campaigns/core';
import { sharedVector } from '../workers/shared-vector';
import { type AudienceSampleFacts, lookupSampleFacts, type SampleFactsRequest } from './audience-sample';
import { DatasetPreparer, type PreparationProgress } from './dataset-preparer';
import { DatasetStore } from './dataset-store';
import { LoaderPool } from './loader-pool';
import type { DatasetKind } from './registry';
import {
  type AudienceRunProgress,
  type AudienceRunRequest,
  type AudienceRunResult,
  runAudience,
} from './run-audience';

export type WorkerInbound =
  | { id: number; request: AudienceRunRequest }
  | { id: number; describe: true; load?: DatasetKind[] }
  | { id: number; products: string[] }
  | { id: number; sample: SampleFactsRequest }
  | { id: number; prepare: true }
  | { id: number; reload: true };

export type WorkerOutbound =
  | { id: number; type: 'progress'; progress: AudienceRunProgress }
  | { id: number; type: 'result'; result: AudienceRunResult }
  | { id: number; type: 'described'; datasets: Awaited<ReturnType<DatasetStore['describeDatasets']>> }
  | { id: number; type: 'products'; selection: ProductSelection }
  | { id: number; type: 'sampled'; facts: AudienceSampleFacts }
  | { id: number; type: 'error'; message: string; code?: string }
  /** Preparation progress, sent unasked whenever it changes (id 0). */
  | { id: 0; type: 'preparation'; progress: PreparationProgress };

const port = parentPort;
if (port) {
  const pool = new LoaderPool();
  // The merged index is kept in the prepared cache too: a restart's first warm pass does not build it.
  const store = new DatasetStore((workerData as { dataDir: string }).dataDir, { pool, mergedIndex: true });
  const preparer = new DatasetPreparer(store, {
    onProgress: (progress) =>
      port!.postMessage({ id: 0, type: 'preparation', progress } satisfies WorkerOutbound),
  });
  port.on('message', (message: WorkerInbound) => {
    void handle(message);
  });

  async function handle(message: WorkerInbound): Promise<void> {
    const { id } = message;
    try {
      if ('describe' in message) {
        // Kinds asked for are loaded first (sharing a preparation's loads in flight), so their values are there.
        port!.postMessage({
          id,
          type: 'described',
          datasets: await store.describeDatasets(message.load),
        } satisfies WorkerOutbound);
        return;
      }
      if ('products' in message) {
        // The holders are a vector of their own (not the cached one): handed over, not copied.
        const selection = await store.selectByProducts(message.products);
        const transfer = selection.iins.buffer instanceof ArrayBuffer ? [selection.iins.buffer] : [];
        port!.postMessage({ id, type: 'products', selection } satisfies WorkerOutbound, transfer);
        return;
      }
      if ('sample' in message) {
        // Read from the datasets this worker holds for filter runs (loaded first, as a run would).
        const facts = await lookupSampleFacts(store, message.sample);
        port!.postMessage({ id, type: 'sampled', facts } satisfies WorkerOutbound);
        return;
      }
      if ('reload' in message) {
        // Everything read again; a preparation that ran before runs again at once.
        store.clear();
        if (preparer.progress.state !== 'idle') void preparer.refresh();
        return;
      }
      if ('prepare' in message) {
        if (preparer.progress.state === 'idle') void preparer.start();
        return;
      }
      const report = (progress: AudienceRunProgress) =>
        port!.postMessage({ id, type: 'progress', progress } satisfies WorkerOutbound);
      // Arriving while the datasets are being prepared, the run shares those loads (and says it waits for them).
      const waiting = preparer.busy && !preparer.progress.filters_ready;
      const result = await runAudience(
        store,
        message.request,
        (progress) =>
          report(
            waiting && progress.phase === 'loading'
              ? { ...progress, message: `waiting for dataset preparation: ${progress.message}` }
              : progress,
          ),
        { pool },
      );
      // The survivors and the input on shared memory (copied here, on this thread): the API thread passes them
      // on to the snapshot codec's worker without a copy of its own (workers/shared-vector.ts). The control
      // split is handed over.
      const shared = {
        ...result,
        survivors: sharedVector(result.survivors),
        ...(result.input ? { input: sharedVector(result.input) } : {}),
      };
      const transfer = [result.control?.target.buffer, result.control?.control.buffer].filter(
        (b): b is ArrayBuffer => b instanceof ArrayBuffer,
      );
      port!.postMessage({ id, type: 'result', result: shared } satisfies WorkerOutbound, [
        ...new Set(transfer),
      ]);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      port!.postMessage({
        id,
        type: 'error',
        message: (error as Error).message ?? String(error),
        ...(typeof code === 'string' ? { code } : {}),
      } satisfies WorkerOutbound);
    }
  }
}
