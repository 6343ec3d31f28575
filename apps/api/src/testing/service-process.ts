// Test helper: the service as an operator runs it, `pnpm start`'s main.ts in a child process of its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DeployTarget, generateDemoData } from '@campaigns/db';
import { expect } from 'vitest';

const mainFile = fileURLToPath(new URL('../main.ts', import.meta.url));
const children = new Set<ChildProcess>();
// A service left running would outlive the test run (a timeout can skip afterAll): kill them on the way out.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface ServiceProcess {
  child: ChildProcess;
  /** Where it listens (PORT=0: a port the system chose). */
  url: string;
  /** Everything it printed so far (JSON log lines and plain lines). */
  output(): string;
  /** Resolves when the service's output contains `text`. */
  printed(text: string, timeoutMs?: number): Promise<void>;
}

/** A DATA_DIR with small demo datasets (so main.ts does not generate its 1M-client data) and a stub admin build. */
export async function prepareDataDir(dataDir: string): Promise<{ adminBuild: string }> {
  await generateDemoData({ dataDir, clients: 20_000 });
  const adminBuild = path.join(dataDir, 'admin');
  await mkdir(adminBuild, { recursive: true });
  await writeFile(path.join(adminBuild, 'index.html'), '<!doctype html><title>admin</title>');
  return { adminBuild };
}

/** main.ts in a child process; resolves once it listens. */
export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', mainFile], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  const waiting: Array<{ text: string; resolve: () => void }> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const w of waiting) if (output.includes(w.text)) w.resolve();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const printed = (text: string, timeoutMs = 60_000) =>
    new Promise<void>((resolve, reject) => {
      if (output.includes(text)) return resolve();
      waiting.push({ text, resolve });
      setTimeout(
        () => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${output.slice(-2000)}`)),
        timeoutMs,
      ).unref();
      child.once('exit', (code) =>
        reject(new Error(`service exited (${code}) before printing ${text}:\n${output}`)),
      );
    });
  await printed('Campaign service on http');
  const url = /Campaign service on (http:\/\/\S+)/.exec(output)![1]!;
  return { child, url, output: () => output, printed };
}

export const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

/** Kills every service process this test file started. */
export function killServiceProcesses(): void {
  for (const child of children) child.kill('SIGKILL');
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** An RB1 deploy of `users` clients landed every table exactly once: one metadata row, each user row once. */
export async function expectDeployedOnce(target: DeployTarget, code: string, users: number): Promise<void> {
  const expected = [
    ['dssb_ocds.mb01_camp_dict', 1],
    ['dssb_ocds.mb22_local_target', users],
    ['spss.fd_rb2_campaigns_users', users],
    ['spss.off_limit_campaigns_users', users],
  ] as const;
  for (const [table, rows] of expected)
    expect([table, await target.countRows(table, code)]).toEqual([table, rows]);
}
