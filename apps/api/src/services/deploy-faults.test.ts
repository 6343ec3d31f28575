import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import {
  approveAsSubmitted,
  deployedCampaign,
  deployedInStore,
  submitAndApprove,
} from '../testing/campaign-steps';
import { bearerRequest, eventually, json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';
import { signedInClient } from '../testing/trpc-client';
import { interceptUserWrites } from '../testing/user-writes';
import { deployerOver } from './target-deployer';

// The seed's example failure: ORA-00001 on the user list and a timeout on the off-limit table.
const faults = new Map<string, string>([
  ['spss.fd_rb2_campaigns_users', 'ORA-00001: unique constraint violated'],
  ['spss.off_limit_campaigns_users', 'Connection timeout'],
]);
let faultsOn = true;

describe('deploy failures, retries and schedules', () => {
  const clock = new ManualClock(new Date('2026-02-01T09:00:00Z'));
  const env = useServerFixture({
    approvalRequired: false,
    clock,
    wrapDeployer: (_real, target) =>
      deployerOver(
        interceptUserWrites(target, async (table, write) => {
          const fault = faultsOn ? faults.get(table) : undefined;
          if (fault) throw new Error(fault);
          return write();
        }),
      ),
  });

  it('answers the seed error shape when later tables fail, and a retry writes only what failed', async () => {
    const { server, token } = env;
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
    const approver = await signedInBrowser(server, 'approver');
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
    const owner = env.marketer;
    const other = await signedInBrowser(env.server, 'marketer2');
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
  const env = useServerFixture();

  it('deploys an approved campaign when its time comes (the queue’s own delay), not before', async () => {
    const { server, marketer } = env;
    const approver = await signedInBrowser(server, 'approver');
    // A first create warms the workers, so the timed one below is quick even on a loaded machine.
    await marketer.trpc('campaigns.create', seedCreateRequest({ user_iins: validIins(3, 60) }));
    const deployAt = new Date(Date.now() + 20_000);
    const { campaign, approval } = await submitAndApprove(marketer, approver, {
      ...seedCreateRequest({ user_iins: validIins(3, 70) }),
      deploy_at: deployAt.toISOString(),
    });
    const code: string = campaign.campaign_code;
    if (Date.now() < deployAt.getTime() - 1000) {
      // Not before its time: no job now, still approved, and deployed no earlier than deploy_at (below).
      expect(approval).toMatchObject({ status: 'approved', deploy_job: null });
      expect((await server.app.store.campaigns.findByCode(code))?.status).toBe('approved');
    } else {
      // The machine was so slow that the time came during the approval: then it deploys at once.
      expect(approval.deploy_job).not.toBeNull();
    }
    const deployed = await deployedInStore(server.app.store, code, 40_000);
    expect(deployed.deployedAt!.getTime()).toBeGreaterThanOrEqual(deployAt.getTime() - 1000);
  });

  // "Deploy now" on a campaign scheduled for later deploys it now (the worker used to wait for its deploy_at and
  // mark the job done with nothing written).
  it('deploys a scheduled campaign at once when an approver asks, ahead of its deploy_at', async () => {
    const marketer = await signedInClient(env.server, 'marketer');
    const approver = await signedInClient(env.server, 'approver');
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: validIins(5, 4000) }),
      deploy_at: '2099-01-01T00:00:00Z',
      submit: true,
    });
    const code = created.campaign.campaign_code;
    expect((await approveAsSubmitted(approver, created.campaign)).status).toBe('approved');
    const started = await approver.campaigns.deploy.mutate({ code });
    expect(started.job).toMatchObject({ kind: 'deploy', status: 'running' });
    const deployed = await deployedCampaign(approver, code);
    expect(deployed.deployment_result).toMatchObject({ success: true });
    expect(await env.server.target.countRows('dssb_ocds.mb22_local_target', code)).toBe(5);
  });
});
