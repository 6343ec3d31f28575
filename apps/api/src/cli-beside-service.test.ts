// The CLI is one more client of the database server (docs/ARCHITECTURE.md "Persistence"): run while `pnpm start` runs on the
// same DATA_DIR, what it creates works at once in the service and is audited; the service keeps running.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectDatabase, createStore } from '@campaigns/db';
import { afterAll, describe, expect, it } from 'vitest';
import { Browser, bearerRequest, json } from './testing/http-client';
import { exited, killServiceProcesses, prepareDataDir, startServiceProcess } from './testing/service-process';

const run = promisify(execFile);
const apiDir = fileURLToPath(new URL('..', import.meta.url));
let dataDir = '';

afterAll(async () => {
  killServiceProcesses();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('operator CLI beside the running service', () => {
  it('adds a user and a token that work in the service at once, audited, and leaves the server running', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'cli-beside-'));
    const { adminBuild } = await prepareDataDir(dataDir);
    const env = { DATA_DIR: dataDir, ADMIN_BUILD_DIR: adminBuild, PORT: '0', LOG_LEVEL: 'info' };
    const service = await startServiceProcess(env);
    // The password travels on stdin (a pipe), never in argv.
    const cli = (stdin: string, ...args: string[]) => {
      const child = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
        cwd: apiDir,
        env: { DATA_DIR: dataDir },
      });
      child.child.stdin?.end(stdin);
      return child;
    };

    const password = `${randomUUID()}-Zz9`;
    const added = await cli(`${password}\n`, 'user', 'add', '--username', 'night-ops', '--role', 'approver');
    expect(added.stdout).toBe('created night-ops (approver)\n');
    const token = (
      await cli('', 'token', 'create', '--username', 'night-ops', '--scopes', 'read')
    ).stdout.trim();

    // The running service knows both at once: the token reads, the password signs in.
    const listed = await bearerRequest({ baseUrl: service.url }, token, 'GET', '/campaigns/list');
    expect(listed.status).toBe(200);
    const browser = new Browser({ baseUrl: service.url, origin: service.url });
    expect((await browser.login('night-ops', password)).status).toBe(200);
    // The CLI left the server to the service, which still answers.
    expect((await json(await fetch(`${service.url}/healthz`))).ok).toBe(true);

    const database = await connectDatabase({ dataDir });
    const store = await createStore({ databaseUrl: database.url });
    try {
      const trail = [
        ...(await store.audit.list({ entityType: 'user' })),
        ...(await store.audit.list({ entityType: 'api_token' })),
      ];
      const byCli = trail.filter((e) => e.details.via === 'cli').map((e) => e.action);
      expect(byCli.sort()).toEqual(['token.created', 'user.created']);
    } finally {
      await store.close();
      await database.release();
    }
    service.child.kill('SIGTERM');
    await exited(service.child);
  }, 180_000);
});
