// Two service processes (main.ts, as `pnpm start` runs it) on one DATA_DIR, sharing the embedded PostgreSQL
// server the first one started, as two instances behind a proxy would (docs/ARCHITECTURE.md "Several instances"): a user
// may reach either on every request, and one of them dies in the middle of a deploy.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectDatabase, openDeployTarget, SEED_BLACKLISTS } from '@campaigns/db';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from './app';
import { parseSettings } from './env';
import { Browser, bearerRequest, json } from './testing/http-client';
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

// The proxy's public origin: both instances allow it, the browser sends it.
const proxyOrigin = 'http://campaigns.proxy.test';
let dataDir = '';

afterAll(async () => {
  killServiceProcesses();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const at = (instance: ServiceProcess) => ({ baseUrl: instance.url, origin: proxyOrigin });

describe('two instances on one DATA_DIR and one embedded server', () => {
  it('serve one user alternately, share codes, deploys and caches, and take over a dead one’s deploy', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'two-instances-'));
    const { adminBuild } = await prepareDataDir(dataDir);
    const env = {
      DATA_DIR: dataDir,
      ADMIN_BUILD_DIR: adminBuild,
      ALLOWED_ORIGINS: proxyOrigin,
      LOG_LEVEL: 'info',
      PORT: '0',
    };
    // Users and a token, through the same embedded server the instances will share.
    const password = `${randomUUID()}-Aa1`;
    const setup = await createApp({ settings: parseSettings(env) });
    const marketer = await setup.users.create({ username: 'mara', role: 'marketer', password }, null);
    await setup.users.create({ username: 'april', role: 'approver', password }, null);
    const { token } = await setup.auth.createApiToken({
      userId: marketer.id,
      name: 'two instances',
      scopes: ['read', 'write'],
      actorId: null,
    });
    await setup.close();

    const a = await startServiceProcess(env);
    const b = await startServiceProcess(env);
    // The second one shares the server the first one started; it never starts a second one.
    await b.printed('using the embedded PostgreSQL server already running');
    expect(a.output()).toContain('starting the embedded PostgreSQL server');

    // Sign in on one, act on the other.
    const mara = new Browser(at(a));
    expect((await mara.login('mara', password)).status).toBe(200);
    mara.server = at(b);
    expect((await mara.trpcQuery('jobs.mine')).status).toBe(200);

    // Upload on one; its progress and outcome are readable on the other; create from it there.
    mara.server = at(a);
    const csv = `iin\n${validIins(40, 3000).join('\n')}\n`;
    const upload = await json(
      await mara.trpc('audiences.upload', {
        filename: 'list.csv',
        content_base64: Buffer.from(csv).toString('base64'),
      }),
    );
    const jobId = upload.result.data.job.id as string;
    mara.server = at(b);
    const uploaded = await waitFor('the upload job, read on the other instance', async () => {
      const job = (await json(await mara.trpcQuery('jobs.get', { id: jobId }))).result?.data;
      return job?.status === 'succeeded' ? job : undefined;
    });
    expect(uploaded.result).toMatchObject({ accepted: 40 });
    const { upload_id, ...rest } = { upload_id: uploaded.result.upload_id as string, ...seedCreateRequest() };
    const fromUpload = await json(
      await mara.trpc('campaigns.create', {
        ...rest,
        user_iins: undefined,
        upload_id,
        // The demo registry has three blacklists and the seed's body applies one: the others need a reason.
        filter_config: {
          ...rest.filter_config,
          blacklist_omissions: Object.fromEntries(SEED_BLACKLISTS.map((name) => [name, 'not tested here'])),
        },
        submit: true,
      }),
    );
    const uploadCampaign = fromUpload.result.data.campaign;
    expect(uploadCampaign.user_count).toBe(40);

    // A campaign created on one shows in the other's list within a second (its cache is told).
    const listOn = async (instance: ServiceProcess) =>
      (
        await json(await bearerRequest(at(instance), token, 'GET', '/campaigns/list?limit=100'))
      ).campaigns.map((c: { campaign_code: string }) => c.campaign_code);
    await listOn(b); // warms b's cache
    const made = await json(
      await bearerRequest(
        at(a),
        token,
        'POST',
        '/campaigns/create',
        seedCreateRequest({ user_iins: validIins(5, 100) }),
      ),
    );
    const seenAt = Date.now();
    await waitFor('the new campaign in the other instance’s list', async () =>
      (await listOn(b)).includes(made.campaign_code) ? true : undefined,
    );
    expect(Date.now() - seenAt).toBeLessThan(1000);

    // 20 creates spread over both: 20 distinct codes.
    const creates = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        bearerRequest(
          at(i % 2 ? a : b),
          token,
          'POST',
          '/campaigns/create',
          seedCreateRequest({ user_iins: validIins(3, 200 + i * 3) }),
        ).then(json),
      ),
    );
    const codes = creates.map((c) => c.campaign_code as string);
    expect(new Set(codes).size).toBe(20);

    // An approver signed in on b approves on a: every approved campaign deploys once, on either instance.
    const april = new Browser(at(b));
    expect((await april.login('april', password)).status).toBe(200);
    april.server = at(a);
    const approveAll = [uploadCampaign.campaign_code as string, ...codes.slice(0, 6)];
    for (const code of approveAll) {
      const campaign = (await json(await april.trpcQuery('campaigns.get', { code }))).result.data;
      // Blacklists left out (see above) are acknowledged explicitly, as the approval page asks.
      const approved = await april.trpc('approvals.approve', {
        code,
        content_hash: campaign.content_hash,
        acknowledge_skipped_blacklists: true,
      });
      expect(approved.status).toBe(200);
      april.server = april.server.baseUrl === a.url ? at(b) : at(a);
    }
    const database = await connectDatabase({ dataDir });
    const target = await openDeployTarget({ kind: 'postgres', databaseUrl: database.url });
    try {
      for (const code of approveAll) {
        const deployed = await waitFor(`${code} deployed`, async () => {
          const campaign = (await json(await april.trpcQuery('campaigns.get', { code }))).result.data;
          return campaign.workflow_status === 'deployed' ? campaign : undefined;
        });
        const trail = (await json(await april.trpcQuery('campaigns.history', { code }))).result
          .data as Array<{
          action: string;
        }>;
        expect(trail.filter((e) => e.action === 'campaign.deploying')).toHaveLength(1);
        expect(await target.countRows('spss.fd_rb2_campaigns_users', code)).toBe(deployed.user_count);
      }

      // A 500k-user deploy; SIGKILL the instance running it; the other one finishes it within 60 s.
      const big = await json(
        await bearerRequest(
          at(a),
          token,
          'POST',
          '/campaigns/create',
          seedCreateRequest({ user_iins: validIins(500_000, 10_000) }),
        ),
      );
      const bigCode = big.campaign_code as string;
      const bigCampaign = (await json(await april.trpcQuery('campaigns.get', { code: bigCode }))).result.data;
      await april.trpc('approvals.approve', {
        code: bigCode,
        content_hash: bigCampaign.content_hash,
        acknowledge_skipped_blacklists: true,
      });
      const runner = await Promise.race([
        a.printed(`"code":"${bigCode}","target"`, 60_000).then(() => a),
        b.printed(`"code":"${bigCode}","target"`, 60_000).then(() => b),
      ]);
      const survivor = runner === a ? b : a;
      await new Promise((resolve) => setTimeout(resolve, 300));
      runner.child.kill('SIGKILL');
      await exited(runner.child);
      const killedAt = Date.now();
      await survivor.printed('taking over a deploy whose instance stopped', 60_000);
      const finished = await waitFor(
        'the taken-over deploy',
        async () => {
          const r = await bearerRequest(at(survivor), token, 'GET', `/campaigns/${bigCode}`);
          const body = await json(r);
          return body.workflow_status === 'deployed' ? body : undefined;
        },
        60_000,
      );
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      const users = finished.user_count as number;
      expect(users).toBeGreaterThan(400_000);
      await expectDeployedOnce(target, bigCode, users);
      survivor.child.kill('SIGTERM');
      await exited(survivor.child);
    } finally {
      await target.close();
      await database.release();
    }
  }, 300_000);
});
