import { createStore } from '@campaigns/db';
import { describe, expect, it } from 'vitest';
import { deployedInStore } from '../testing/campaign-steps';
import { bearerRequest, json } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';
import { startTestServer } from '../testing/test-server';
import { interceptUserWrites } from '../testing/user-writes';
import { createCampaignSchema } from './campaign-input';
import { deployerOver } from './target-deployer';

describe('reliability', () => {
  const env = useServerFixture({ approvalRequired: false });

  it('20 concurrent creates get 20 distinct codes, all deployed', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        bearerRequest(
          env.server,
          env.token,
          'POST',
          '/campaigns/create',
          seedCreateRequest({ user_iins: validIins(5, i * 5) }),
        ),
      ),
    );
    const bodies = await Promise.all(responses.map((r) => json(r)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const codes = bodies.map((b) => b.campaign_code as string);
    expect(new Set(codes).size).toBe(20);
    expect(bodies.every((b) => b.deployment_result.success)).toBe(true);
    for (const code of codes)
      expect(await env.server.target.countRows('dssb_ocds.mb01_camp_dict', code)).toBe(1);
  });

  it('a repeated create with the same Idempotency-Key gives one campaign and the first answer', async () => {
    const request = seedCreateRequest({ user_iins: validIins(4, 500) });
    const headers = { 'idempotency-key': 'order-42' };
    const [a, b] = await Promise.all([
      bearerRequest(env.server, env.token, 'POST', '/campaigns/create', request, headers),
      bearerRequest(env.server, env.token, 'POST', '/campaigns/create', request, headers),
    ]);
    const c = await bearerRequest(env.server, env.token, 'POST', '/campaigns/create', request, headers);
    const bodies = [await json(a), await json(b), await json(c)];
    expect(new Set(bodies.map((x) => x.campaign_code)).size).toBe(1);
    expect(bodies.filter((x) => x.idempotent_replay).length).toBe(2);
    for (const body of bodies)
      expect(body.deployment_result).toMatchObject({ success: true, total_users: 4 });
    const code = bodies[0].campaign_code as string;
    expect(await env.server.target.countRows('spss.fd_rb2_campaigns_users', code)).toBe(4);
    const list = await json(await bearerRequest(env.server, env.token, 'GET', '/campaigns/list?limit=500'));
    expect(list.campaigns.filter((x: { campaign_code: string }) => x.campaign_code === code)).toHaveLength(1);
  });
});

describe('an instance that dies during a deploy', () => {
  it('is taken over by another instance, which finishes without duplicate rows', async () => {
    // First life: the deploy stalls after metadata and target rows are written (the process then dies).
    let stalled!: () => void;
    const reachedUsers = new Promise<void>((resolve) => {
      stalled = resolve;
    });
    // The survivor runs no workers (the deploy goes to the doomed instance) and takes over when told to.
    const first = await startTestServer({ approvalRequired: true, workers: false, takeOverDeploys: false });
    const hanging = interceptUserWrites(first.target, (table, write) => {
      if (table !== 'spss.fd_rb2_campaigns_users') return write();
      stalled();
      return new Promise(() => {}); // never returns: the process is killed here
    });
    // Its own connections to the same database, named so that the test can cut them as a dying process would.
    const doomedStore = await createStore({
      databaseUrl: first.app.store.databaseUrl,
      applicationName: 'campaigns-doomed',
    });
    const crashing = await startTestServer({
      store: doomedStore,
      target: first.target,
      dataDir: first.dataDir,
      wrapDeployer: () => deployerOver(hanging),
      seedUsers: true,
      takeOverDeploys: false,
    });
    const iins = validIins(12, 900);
    const marketer = crashing.users.marketer!;
    const created = await crashing.app.campaigns.create(
      { userId: marketer.id, role: 'marketer' },
      createCampaignSchema.parse(seedCreateRequest({ user_iins: iins })),
      { submit: true },
    );
    await crashing.app.approvals.approve(
      { userId: crashing.users.approver!.id, role: 'approver' },
      { code: created.campaign.code, contentHash: created.campaign.contentHash ?? '' },
    );
    await reachedUsers;
    const code = created.campaign.code;
    // Alive but stuck: it holds the campaign's deploy lock, so nobody may take over.
    expect(await first.app.deploys.takeOverOrphans()).toEqual([]);
    await crashing.crash();
    await crashing.app.queue.stop(1);
    // The process dies: the server ends its connections, and with them its lock.
    await first.app.store.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database()
          AND (application_name LIKE 'campaigns-doomed%' OR application_name = 'campaigns-deploy-lock')`,
    );
    expect((await first.app.store.campaigns.findByCode(code))?.status).toBe('deploying');
    expect(await first.target.countRows('dssb_ocds.mb22_local_target', code)).toBe(12);
    expect(await first.target.countRows('spss.fd_rb2_campaigns_users', code)).toBe(0);

    // Another instance takes the deploy over; only what is missing is written.
    expect(await first.app.deploys.takeOverOrphans()).toEqual([code]);
    const done = await deployedInStore(first.app.store, code);
    expect(done.status).toBe('deployed');
    for (const table of [
      'dssb_ocds.mb22_local_target',
      'spss.fd_rb2_campaigns_users',
      'spss.off_limit_campaigns_users',
    ]) {
      expect(await first.target.countRows(table as 'dssb_ocds.mb22_local_target', code)).toBe(12);
    }
    expect(await first.target.countRows('dssb_ocds.mb01_camp_dict', code)).toBe(1);
    const records = await first.app.store.deployments.listForCampaign(done.id);
    expect(records.filter((r) => r.tableName === 'dssb_ocds.mb22_local_target').map((r) => r.status)).toEqual(
      ['already_present'],
    );
    const trail = await first.app.store.audit.list({ entityType: 'campaign', entityId: code });
    expect(trail.map((e) => e.action)).toContain('campaign.deploy_taken_over');
    await first.close();
  });
});
