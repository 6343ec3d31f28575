import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connectDatabase, createStore } from '@campaigns/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from './auth/auth-service';
import { LoginThrottle } from './auth/login-throttle';
import { systemClock } from './clock';

const run = promisify(execFile);
const apiDir = fileURLToPath(new URL('..', import.meta.url));

describe('operator CLI (pnpm cli)', () => {
  let dataDir: string;
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: apiDir,
      env: { DATA_DIR: dataDir },
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'api-cli-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('adds and lists users, refuses a bad role, and prints only a working token', async () => {
    expect(
      (await cli('user', 'add', '--username', 'ops', '--role', 'approver', '--password', 'ops passphrase'))
        .stdout,
    ).toBe('created ops (approver)\n');
    const bad = await cli(
      'user',
      'add',
      '--username',
      'x',
      '--role',
      'boss',
      '--password',
      'whatever long',
    ).catch((error: { code: number; stderr: string }) => error);
    expect(bad).toMatchObject({ code: 2 });
    expect((await cli('user', 'list')).stdout).toMatch(/^ops\tapprover\tactive\t/);
    const { stdout } = await cli('token', 'create', '--username', 'ops', '--scopes', 'read');
    const token = stdout.trim();
    expect(token).toMatch(/^cst_[a-z2-7]{32}$/);

    // The printed token authenticates as ops, read-only.
    const database = await connectDatabase({ dataDir });
    const store = await createStore({ databaseUrl: database.url });
    try {
      const auth = new AuthService({
        users: store.users,
        sessions: store.sessions,
        apiTokens: store.apiTokens,
        clock: systemClock,
        policy: { idleMs: 60_000, absoluteMs: 3_600_000 },
        throttle: new LoginThrottle(
          store.loginAttempts,
          { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowMs: 60_000 },
          systemClock,
        ),
        audit: { record: async () => {} },
      });
      expect(await auth.authenticateApiToken(token)).toMatchObject({
        kind: 'token',
        username: 'ops',
        role: 'approver',
        scopes: ['read'],
      });
      const trail = await store.audit.list({ entityType: 'user' });
      expect(trail.map((e) => e.details.via)).toEqual(['cli']);
    } finally {
      await store.close();
      await database.release();
    }
  }, 180_000); // four CLI processes, each starting the embedded server when none runs
});
