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
import { PasswordScorer } from './auth/password-worker';
import { systemClock } from './clock';

const run = promisify(execFile);
const apiDir = fileURLToPath(new URL('..', import.meta.url));

describe('operator CLI (pnpm cli)', () => {
  let dataDir: string;
  const cli = (...args: string[]) => cliWithStdin('', ...args);
  // The password travels on stdin (a pipe), never in argv.
  const cliWithStdin = (stdin: string, ...args: string[]) => {
    const child = run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: apiDir,
      env: { DATA_DIR: dataDir },
    });
    child.child.stdin?.end(stdin);
    return child;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'api-cli-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('adds and lists users, refuses a bad role, and prints only a working token', async () => {
    expect(
      (
        await cliWithStdin(
          'ops long passphrase 7\n',
          'user',
          'add',
          '--username',
          'ops',
          '--role',
          'approver',
        )
      ).stdout,
    ).toBe('created ops (approver)\n');
    // A password in argv is refused before anything is opened (argv shows in `ps` and shell history).
    const inArgv = await cli(
      'user',
      'add',
      '--username',
      'ops2',
      '--role',
      'approver',
      '--password',
      'ops long passphrase 8',
    ).catch((error: { code: number; stderr: string }) => error);
    expect(inArgv).toMatchObject({ code: 2, stderr: expect.stringContaining('--password is not taken') });
    // A weak one on stdin is refused with the reason.
    const weak = await cliWithStdin(
      'password1234\n',
      'user',
      'add',
      '--username',
      'ops3',
      '--role',
      'approver',
    ).catch((error: { code: number; stderr: string }) => error);
    expect(weak).toMatchObject({ code: 1, stderr: expect.stringContaining('too weak') });
    const bad = await cli('user', 'add', '--username', 'x', '--role', 'boss').catch(
      (error: { code: number; stderr: string }) => error,
    );
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
        passwords: new PasswordScorer(), // never started: no password is set here
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
