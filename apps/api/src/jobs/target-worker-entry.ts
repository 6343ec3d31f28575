// Worker thread owning the embedded PGlite deploy target: its COPYs run inside the wasm engine, synchronously,
// for seconds on big audiences; here they block only this thread, never the API's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { openDeployTarget } from '@campaigns/db';
import { deployerOver } from '../services/target-deployer';
import type { TargetWorkerRequest, TargetWorkerResponse } from './target-worker';

const port = parentPort;
const ready = openDeployTarget({ kind: 'pglite', dataDir: (workerData as { dataDir: string }).dataDir }).then(
  deployerOver,
);

port?.on('message', (message: TargetWorkerRequest) => {
  void (async () => {
    try {
      const deployer = await ready;
      let value: unknown;
      switch (message.call) {
        case 'deploy':
          value = await deployer.deploy(message.args[0]);
          break;
        case 'remove':
          value = await deployer.remove(...message.args);
          break;
        case 'largestCodes':
          value = await deployer.largestCodes();
          break;
        case 'offLimitIins':
          value = await deployer.offLimitIins(message.args[0]);
          break;
        case 'ping':
          value = await deployer.ping();
          break;
        case 'close':
          value = await deployer.close();
          break;
      }
      port.postMessage({ id: message.id, ok: true, value } satisfies TargetWorkerResponse);
    } catch (error) {
      port.postMessage({
        id: message.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
      } satisfies TargetWorkerResponse);
    }
  })();
});
