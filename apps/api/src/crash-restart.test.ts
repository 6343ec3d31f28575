// The embedded default, as an operator runs it (`pnpm start`'s main.ts in its own process), killed with SIGKILL
// in the middle of a deploy: the restarted process must find the embedded server's data intact, resume the deploy and land
// every table exactly once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDatabase, generateDemoData, openDeployTarget, type TargetTable } from '@campaigns/db';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { seedDemoUsers } from './demo-users';
import { parseSettings } from './env';
import { validIins } from './testing/iins';
import { seedCreateRequest } from './testing/seed-examples';

const mainFile = fileURLToPath(new URL('./main.ts', import.meta.url));
const children = new Set<ChildProcess>();
let dataDir = '';
// A service left running would outlive the test run (a timeout can skip afterAll): kill them on the way out too.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

interface Service {
  child: ChildProcess;
  /** Where it listens (PORT=0: a port the system chose). */
  url: string;
  /** Resolves when the service's output (JSON log lines and plain lines) contains `text`. */
  printed(text: string): Promise<void>;
}

/** main.ts in a child process; resolves once it listens. */
async function startService(env: Record<string, string>): Promise<Service> {
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
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (output.includes(text)) return resolve();
      waiting.push({ text, resolve });
      setTimeout(
        () => reject(new Error(`no "${text}" within 60 s:\n${output.slice(-2000)}`)),
        60_000,
      ).unref();
      child.once('exit', (code) =>
        reject(new Error(`service exited (${code}) before printing ${text}:\n${output}`)),
      );
    });
  await printed('Campaign service on http');
  const url = /Campaign service on (http:\/\/\S+)/.exec(output)![1]!;
  return { child, url, printed };
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => child.once('exit', () => resolve()));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the service process killed during a deploy', () => {
  it('resumes the deploy after a restart and lands every table exactly once', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'crash-restart-'));
    await generateDemoData({ dataDir, clients: 20_000 }); // so main.ts does not generate its 1M-client data
    const adminBuild = path.join(dataDir, 'admin');
    await mkdir(adminBuild);
    await writeFile(path.join(adminBuild, 'index.html'), '<!doctype html><title>admin</title>');
    const env = {
      DATA_DIR: dataDir,
      ADMIN_BUILD_DIR: adminBuild,
      APPROVAL_REQUIRED: 'false', // the seed's create deploys at once
      LOG_LEVEL: 'info',
      PORT: '0',
    };
    // Users and a token, written to the same embedded store the service will open.
    const app = await createApp({ settings: parseSettings(env) });
    await seedDemoUsers(app);
    const marketer = (await app.store.users.list()).find((u) => u.role === 'marketer')!;
    const { token } = await app.auth.createApiToken({
      userId: marketer.id,
      name: 'crash test',
      scopes: ['read', 'write'],
      actorId: null,
    });
    await app.close();

    let service: Service;
    const call = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${service.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const first = await startService(env);
    service = first;
    const code = (await call('GET', '/campaigns/codes/next-rb1')).body.campaign_code as string;
    const iins = validIins(250_000);
    const creating = call('POST', '/campaigns/create', seedCreateRequest({ user_iins: iins })).catch(
      (error: unknown) => error, // the connection dies with the process
    );
    // The log says when the deploy began (the kill must land after the campaign is claimed for deploying).
    await first.printed('"msg":"deploy started"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(await creating).toBeInstanceOf(Error);

    const second = await startService(env);
    service = second;
    // The kill landed mid-deploy: the new process finds the campaign still deploying, its lock free, and
    // takes it over.
    await second.printed('taking over a deploy whose instance stopped');
    const deployed = await waitFor('the resumed deploy', async () => {
      const { body } = await call('GET', `/campaigns/${code}`);
      return body.workflow_status === 'deployed' ? body : undefined;
    });
    const users = deployed.user_count as number;
    expect(users).toBeGreaterThan(200_000);
    second.child.kill('SIGTERM');
    await exited(second.child);

    // The last service stopped the embedded server; this starts it again to read the twin.
    const database = await connectDatabase({ dataDir });
    const target = await openDeployTarget({ kind: 'postgres', databaseUrl: database.url });
    try {
      const tables: Array<[TargetTable, number]> = [
        ['dssb_ocds.mb01_camp_dict', 1],
        ['dssb_ocds.mb22_local_target', users],
        ['spss.fd_rb2_campaigns_users', users],
        ['spss.off_limit_campaigns_users', users],
      ];
      for (const [table, rows] of tables)
        expect([table, await target.countRows(table, code)]).toEqual([table, rows]);
    } finally {
      await target.close();
      await database.release();
    }
  }, 180_000);
});
