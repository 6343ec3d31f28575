import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CampaignDeployer, DeployRequest } from '../services/campaign-deployer';

export type TargetWorkerRequest =
  | { id: number; call: 'deploy'; args: [DeployRequest] }
  | { id: number; call: 'remove'; args: [string, 'RB1' | 'RB3'] }
  | {
      id: number;
      call: 'offLimitIins';
      args: [{ dateStart: string; dateEnd: string; excludeCampaignCode?: string }];
    }
  | { id: number; call: 'largestCodes' | 'ping' | 'close'; args: [] };

export type TargetWorkerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; message: string };

type Call = TargetWorkerRequest extends infer R
  ? R extends { call: infer C; args: infer A }
    ? { call: C; args: A }
    : never
  : never;

/**
 * The PGlite twin behind a worker thread: the same CampaignDeployer, but a 600,000-row COPY (about 5 s per
 * table here) no longer stops the API from answering. Only the worker opens the twin's directory.
 */
export function pgliteDeployerInWorker(dataDir: string): CampaignDeployer {
  const worker = startWorker(dataDir);
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  worker.on('message', (message: TargetWorkerResponse) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new Error(message.message));
  });
  const failAll = (error: Error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`deploy target worker exited with code ${code}`)));

  function call<T>(request: Call): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, ...request });
    });
  }

  return {
    kind: 'pglite',
    deploy: (request) => call({ call: 'deploy', args: [request] }),
    remove: (code, type) => call({ call: 'remove', args: [code, type] }),
    largestCodes: () => call({ call: 'largestCodes', args: [] }),
    offLimitIins: (period) => call({ call: 'offLimitIins', args: [period] }),
    ping: () => call({ call: 'ping', args: [] }),
    async close() {
      await call({ call: 'close', args: [] });
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}

function startWorker(dataDir: string): Worker {
  const js = new URL('./target-worker-entry.js', import.meta.url);
  if (existsSync(js)) return new Worker(js, { workerData: { dataDir } });
  const entry = new URL('./target-worker-entry.ts', import.meta.url).href;
  const tsxApiCjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsxApi = pathToFileURL(tsxApiCjs.replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { dataDir } });
}
