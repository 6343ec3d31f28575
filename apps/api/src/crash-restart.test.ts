// The embedded default, as an operator runs it (`pnpm start`'s main.ts in its own process), killed with SIGKILL
// in the middle of a deploy: the restarted process must find the embedded server's data intact, resume the deploy and land
// every table exactly once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDatabase, openDeployTarget } from '@campaigns/db';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { seedDemoUsers } from './demo-users';
import { parseSettings } from './env';
import { validIins } from './testing/iins';
import { seedCreateRequest } from './testing/seed-examples';
import {
  exited,
  expectDeployedOnce,
  killServiceProcesses,
  prepareDataDir,
  type ServiceProcess,
  startServiceProcess,
  waitFor,
} from './testing/service-process';

let dataDir = '';

afterAll(async () => {
  killServiceProcesses();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the service process killed during a deploy', () => {
  it('resumes the deploy after a restart and lands every table exactly once', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'crash-restart-'));
    const { adminBuild } = await prepareDataDir(dataDir);
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

    let service: ServiceProcess;
    const call = async (method: string, url: string, body?: unknown) => {
      const response = await fetch(`${service.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };

    const first = await startServiceProcess(env);
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

    const second = await startServiceProcess(env);
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
      await expectDeployedOnce(target, code, users);
    } finally {
      await target.close();
      await database.release();
    }
  }, 180_000);
});
