// Starts the real API server (`apps/api/src/main.ts`, what `pnpm start` runs) on a free loopback port with a
// temporary DATA_DIR holding small demo datasets, serving this app's build. Demo users are read from its output.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const adminDir = path.join(repoRoot, 'apps/admin');

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  passwords: Record<string, string>;
  log: string[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(options: {
  clients: number;
  removeFiles?: string[];
}): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'admin-e2e-'));
  const demo = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'packages/db/scripts/demo-data.ts',
      '--clients',
      String(options.clients),
      '--data-dir',
      dataDir,
    ],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  if (demo.status !== 0) throw new Error(`demo data failed: ${demo.stderr}`);
  for (const file of options.removeFiles ?? []) await rm(path.join(dataDir, file));

  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO_MODE: 'true',
      LOG_LEVEL: 'warn',
      ADMIN_BUILD_DIR: path.join(adminDir, 'build'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  const passwords: Record<string, string> = {};
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log.join('\n')}`)), 90_000);
    const onLine = (line: string) => {
      log.push(line);
      const user = /^\s+(marketer|approver|admin)\s+(\S+) \/ (\S+)\s*$/.exec(line);
      if (user?.[2] && user[3]) passwords[user[2]] = user[3];
      if (line.startsWith('Campaign service on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}):\n${log.join('\n')}`));
    });
  });
  await ready;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    passwords,
    log,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Client IINs of the demo datasets (so filters have something to remove), as 12-digit strings. */
export async function demoClientIins(dataDir: string, count: number): Promise<string[]> {
  const { readParquetTable } = await import('@campaigns/core');
  const table = readParquetTable(new Uint8Array(await readFile(path.join(dataDir, 'clients.parquet'))), [
    'iin',
  ]);
  const column = table.getChild('iin');
  const out: string[] = [];
  for (let i = 0; i < Math.min(count, table.numRows); i++) out.push(String(column?.get(i)).padStart(12, '0'));
  return out;
}
