// A closed app leaves nothing running: a process that embeds it (a bench, a tool) ends by itself after
// app.close(), and `pnpm start`'s main.ts ends on SIGTERM without forcing its exit. `stall.bench.ts` printed
// its figures and then never ended: something stayed alive after app.close().
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTempDatabase, type TempDatabase } from '@campaigns/db/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser, eventually, json } from './testing/http-client';
import { validIins } from './testing/iins';
import { killServiceProcesses, prepareDataDir, startServiceProcess } from './testing/service-process';

const databases: TempDatabase[] = [];
const dirs: string[] = [];
afterAll(async () => {
  killServiceProcesses();
  for (const database of databases) await database.drop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A migrated database of its own: each test's app starts with no users. */
async function tempDatabase(): Promise<string> {
  const database = await createTempDatabase();
  databases.push(database);
  return database.url;
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'shutdown-'));
  dirs.push(dir);
  return dir;
}

/**
 * How the child ended, and what it printed. A child still running after `guardMs` is killed, which the
 * assertions then show as a signal: a guard against a hung test run, not a measure of time.
 */
function ending(child: ChildProcess, guardMs = 150_000) {
  let output = '';
  const take = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const guard = setTimeout(() => child.kill('SIGKILL'), guardMs);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, output });
    }),
  );
}

describe('shutdown', () => {
  it('a process that used every worker of the app ends by itself after app.close()', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./testing/closing-app.ts', import.meta.url))],
      {
        env: { ...process.env, DATABASE_URL: await tempDatabase(), DATA_DIR: await tempDir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const ended = await ending(child);
    expect(ended).toEqual({ code: 0, signal: null, output: 'closed\n' });
  }, 180_000);

  it('main.ts on SIGTERM closes the app and ends with code 0, without forcing the exit', async () => {
    const dataDir = await tempDir();
    const { adminBuild } = await prepareDataDir(dataDir);
    const service = await startServiceProcess({
      DATA_DIR: dataDir,
      ADMIN_BUILD_DIR: adminBuild,
      DATABASE_URL: await tempDatabase(),
      PORT: '0',
      LOG_LEVEL: 'info',
    });
    // Its workers used once: the demo users' passwords were scored at start; a sign-in and an upload now.
    const [, username = '', password = ''] = /marketer\s+(\S+) \/ (\S+)/.exec(service.output()) ?? [];
    const browser = new Browser({ baseUrl: service.url, origin: service.url });
    expect((await browser.login(username, password)).status).toBe(200);
    const upload = await browser.trpc('audiences.upload', {
      filename: 'one.csv',
      content_base64: Buffer.from(`iin\n${validIins(1)[0]}\n`).toString('base64'),
    });
    const jobId = (await json(upload)).result.data.job.id as string;
    await eventually(async () => {
      const data = (await json(await browser.trpcQuery('jobs.get', { id: jobId }))).result.data;
      return data.status === 'running' ? undefined : data;
    });
    const ended = ending(service.child);
    service.child.kill('SIGTERM');
    const { code, signal } = await ended;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(service.output()).not.toContain('still running after shutdown');
  }, 180_000);
});
