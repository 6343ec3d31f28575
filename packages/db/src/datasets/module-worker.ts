// Starts a worker thread from one of our .ts modules. A built copy (.js beside it) starts directly. From source,
// Node 20 does not apply `execArgv: ['--import', 'tsx']` hooks to a worker's own entry file
// (ERR_UNKNOWN_FILE_EXTENSION), so a tiny eval'd bootstrap registers tsx's loader in the worker first and then
// imports the .ts entry.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export function startModuleWorker(tsEntry: URL, workerData: unknown): Worker {
  const js = new URL(tsEntry.href.replace(/\.ts$/, '.js'));
  if (existsSync(fileURLToPath(js))) return new Worker(js, { workerData });
  // require.resolve finds tsx's CommonJS build; its ESM twin sits beside it (the .cjs one fails inside a worker).
  const tsxApiCjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  const tsxApi = pathToFileURL(tsxApiCjs.replace(/\.cjs$/, '.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(tsEntry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
