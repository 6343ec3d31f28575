import type { DeployTarget } from '@campaigns/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { apiTokenFor } from '../testing/api-token';
import { Browser, bearerRequest, eventually, json } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';
import { deployerOver } from './target-deployer';

// The seed's example failure: ORA-00001 on the user list and a timeout on the off-limit table.
const faults = new Map<string, string>([
  ['spss.fd_rb2_campaigns_users', 'ORA-00001: unique constraint violated'],
  ['spss.off_limit_campaigns_users', 'Connection timeout'],
]);
let faultsOn = true;

function faulty(target: DeployTarget): DeployTarget {
  return new Proxy(target, {
    get(real, property, receiver) {
      if (property === 'writeUsers') {
        return async (table: string, rows: unknown) => {
          const fault = faultsOn ? faults.get(table) : undefined;
          if (fault) throw new Error(fault);
          return (real.writeUsers as (t: string, r: unknown) => Promise<void>).call(real, table, rows);
        };
      }
      const value: unknown = Reflect.get(real, property, receiver);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  });
}

describe('deploy failures, retries and schedules', () => {
  let server: TestServer;
  let token: string;
  const clock = new ManualClock(new Date('2026-02-01T09:00:00Z'));

  beforeAll(async () => {
    server = await startTestServer({
      approvalRequired: false,
      clock,
      wrapDeployer: (_real, target) => deployerOver(faulty(target)),
    });
    token = await apiTokenFor(server, 'marketer');
  });
  afterAll(async () => server.close());

  it('answers the seed error shape when later tables fail, and a retry writes only what failed', async () => {
    const response = await bearerRequest(
      server,
      token,
      'POST',
      '/campaigns/create',
      seedCreateRequest({ user_iins: validIins(6) }),
    );
    const body = await json(response);
    expect(body).toMatchObject({
      success: false,
      campaign_code: 'C000000001',
      deployment_result: {
        tables_updated: ['dssb_ocds.mb01_camp_dict', 'dssb_ocds.mb22_local_target'],
        errors: [
          'fd_rb2_campaigns_users: ORA-00001: unique constraint violated',
          'off_limit_campaigns_users: Connection timeout',
        ],
        success: false,
      },
    });
    const details = await json(await bearerRequest(server, token, 'GET', '/campaigns/C000000001'));
    expect(details.workflow_status).toBe('deploy_failed');

    faultsOn = false;
    const approver = new Browser(server);
    await approver.login('approver');
    const retry = await json(await approver.trpc('campaigns.deploy', { code: 'C000000001' }));
    expect(retry.result.data.job.kind).toBe('deploy');
    const done = await eventually(async () => {
      const d = await json(await bearerRequest(server, token, 'GET', '/campaigns/C000000001'));
      return d.workflow_status === 'deployed' ? d : undefined;
    });
    expect(done.deployment_result).toMatchObject({ success: true, errors: [] });
    for (const table of [
      'dssb_ocds.mb22_local_target',
      'spss.fd_rb2_campaigns_users',
      'spss.off_limit_campaigns_users',
    ] as const) {
      expect(await server.target.countRows(table, 'C000000001')).toBe(6);
    }
    const records = await server.app.store.deployments.listForCampaign(
      (await server.app.store.campaigns.findByCode('C000000001'))!.id,
    );
    expect(records.filter((r) => r.attempt === 2).map((r) => [r.tableName, r.status])).toEqual(
      expect.arrayContaining([
        ['dssb_ocds.mb01_camp_dict', 'already_present'],
        ['dssb_ocds.mb22_local_target', 'already_present'],
        ['spss.fd_rb2_campaigns_users', 'written'],
        ['spss.off_limit_campaigns_users', 'written'],
      ]),
    );
  });

  it('lets a marketer delete an own draft but not someone else’s', async () => {
    const owner = new Browser(server);
    const other = new Browser(server);
    await owner.login('marketer');
    await other.login('marketer2');
    const created = await json(
      await owner.trpc('campaigns.create', { ...seedCreateRequest({ user_iins: validIins(2, 50) }) }),
    );
    const code: string = created.result.data.campaign.campaign_code;
    expect(created.result.data.campaign.workflow_status).toBe('draft');
    expect((await other.request('DELETE', `/campaigns/${code}`)).status).toBe(403);
    expect(
      (await other.trpc('campaigns.update', { code, metadata: seedCreateRequest().metadata })).status,
    ).toBe(403);
    expect((await owner.request('DELETE', `/campaigns/${code}`)).status).toBe(200);
  });
});

describe('scheduled deploys', () => {
  it('deploys an approved campaign when its time comes (the queue’s own delay), not before', async () => {
    const server = await startTestServer();
    try {
      const marketer = new Browser(server);
      const approver = new Browser(server);
      await marketer.login('marketer');
      await approver.login('approver');
      // A first create warms the workers, so the timed one below is quick even on a loaded machine.
      await marketer.trpc('campaigns.create', seedCreateRequest({ user_iins: validIins(3, 60) }));
      const deployAt = new Date(Date.now() + 20_000);
      const created = await json(
        await marketer.trpc('campaigns.create', {
          ...seedCreateRequest({ user_iins: validIins(3, 70) }),
          deploy_at: deployAt.toISOString(),
          submit: true,
        }),
      );
      const { campaign_code: code, content_hash } = created.result.data.campaign;
      const approved = await json(await approver.trpc('approvals.approve', { code, content_hash }));
      if (Date.now() < deployAt.getTime() - 1000) {
        // Not before its time: no job now, still approved, and deployed no earlier than deploy_at (below).
        expect(approved.result.data).toMatchObject({ status: 'approved', deploy_job: null });
        expect((await server.app.store.campaigns.findByCode(code))?.status).toBe('approved');
      } else {
        // The machine was so slow that the time came during the approval: then it deploys at once.
        expect(approved.result.data.deploy_job).not.toBeNull();
      }
      const deployed = await eventually(async () => {
        const campaign = await server.app.store.campaigns.findByCode(code);
        return campaign?.status === 'deployed' ? campaign : undefined;
      }, 40_000);
      expect(deployed.deployedAt!.getTime()).toBeGreaterThanOrEqual(deployAt.getTime() - 1000);
    } finally {
      await server.close();
    }
  });

  it('deploys a scheduled campaign at once when an approver asks, ahead of its deploy_at', async () => {
    const server = await startTestServer();
    try {
      const marketer = new Browser(server);
      const approver = new Browser(server);
      await marketer.login('marketer');
      await approver.login('approver');
      const created = await json(
        await marketer.trpc('campaigns.create', {
          ...seedCreateRequest({ user_iins: validIins(3, 80) }),
          deploy_at: new Date(Date.now() + 3_600_000).toISOString(),
          submit: true,
        }),
      );
      const { campaign_code: code, content_hash } = created.result.data.campaign;
      await approver.trpc('approvals.approve', { code, content_hash });
      const started = await json(await approver.trpc('campaigns.deploy', { code }));
      expect(started.result.data.job).toMatchObject({ kind: 'deploy', status: 'running' });
      const deployed = await eventually(async () => {
        const campaign = await server.app.store.campaigns.findByCode(code);
        return campaign?.status === 'deployed' ? campaign : undefined;
      }, 20_000);
      expect(deployed.status).toBe('deployed');
    } finally {
      await server.close();
    }
  });
});
