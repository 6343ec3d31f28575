// Worker thread entry: keeps its own DatasetStore (so datasets stay cached between runs) and answers
// { id, request } messages with progress messages and a final result or error. Started by AudienceWorker.
import { parentPort, workerData } from 'node:worker_threads';
import { DatasetStore } from './dataset-store';
import { type AudienceRunRequest, type AudienceRunResult, runAudience } from './run-audience';

export type WorkerInbound = { id: number; request: AudienceRunRequest } | { id: number; describe: true };

export type WorkerOutbound =
  | { id: number; type: 'progress'; progress: import('./run-audience').AudienceRunProgress }
  | { id: number; type: 'result'; result: AudienceRunResult }
  | { id: number; type: 'described'; datasets: Awaited<ReturnType<DatasetStore['describeDatasets']>> }
  | { id: number; type: 'error'; message: string };

const port = parentPort;
if (port) {
  const store = new DatasetStore((workerData as { dataDir: string }).dataDir);
  port.on('message', (message: WorkerInbound) => {
    void handle(message);
  });

  async function handle(message: WorkerInbound): Promise<void> {
    const { id } = message;
    try {
      if ('describe' in message) {
        port!.postMessage({
          id,
          type: 'described',
          datasets: await store.describeDatasets(),
        } satisfies WorkerOutbound);
        return;
      }
      const result = await runAudience(store, message.request, (progress) =>
        port!.postMessage({ id, type: 'progress', progress } satisfies WorkerOutbound),
      );
      // Hand the big vectors over instead of copying them.
      const transfer = [
        result.survivors.buffer,
        result.control?.target.buffer,
        result.control?.control.buffer,
      ].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
      port!.postMessage({ id, type: 'result', result } satisfies WorkerOutbound, [...new Set(transfer)]);
    } catch (error) {
      port!.postMessage({
        id,
        type: 'error',
        message: (error as Error).message ?? String(error),
      } satisfies WorkerOutbound);
    }
  }
}
