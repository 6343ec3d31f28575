import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The CommonJS files of `pkg` that a fresh Node process holds after importing `entry` (a file of this package):
 * what a thread that imports it pays in heap for the rest of its life.
 */
async function packageFilesLoadedBy(entry: string, pkg: string): Promise<number> {
  const url = new URL(entry, import.meta.url).href;
  const code = [
    `await import(${JSON.stringify(url)});`,
    `const { createRequire } = await import('node:module');`,
    `const files = Object.keys(createRequire(import.meta.url).cache);`,
    `console.log(files.filter((f) => f.includes(${JSON.stringify(`/node_modules/${pkg}/`)})).length);`,
  ].join('\n');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code],
    { cwd: new URL('..', import.meta.url) },
  );
  return Number(stdout.trim());
}

// exceljs (156 files, ~7 MB of heap at rest) is for the upload worker, the only place an XLSX is parsed: the API
// thread imports @campaigns/db's entry and must not carry it.
describe("@campaigns/db's entry", () => {
  it('loads no XLSX reader; the upload worker does', async () => {
    expect(await packageFilesLoadedBy('./index.ts', 'exceljs')).toBe(0);
    expect(await packageFilesLoadedBy('./uploads/upload-worker-entry.ts', 'exceljs')).toBeGreaterThan(0);
  }, 60_000);
});
