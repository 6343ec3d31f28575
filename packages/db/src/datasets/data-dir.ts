// Where generated and reference data live. The API's env.ts owns settings and passes DATA_DIR in; this is the
// one place that knows the default (<repo>/data).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: four levels up from this file (packages/db/src/datasets). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** DATA_DIR from the given settings (relative paths resolve against the repo root), else `<repo>/data`. */
export function resolveDataDir(env: { DATA_DIR?: string | undefined } = {}): string {
  const dir = env.DATA_DIR?.trim();
  return dir ? path.resolve(REPO_ROOT, dir) : path.join(REPO_ROOT, 'data');
}
