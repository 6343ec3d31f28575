import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer, testPassword } from '../testing/test-server';
import { typedClient } from '../testing/trpc-client';

// "Deploy now" on a campaign scheduled for later deploys it now (the worker used to wait for its deploy_at and
// mark the job done with nothing written).
describe('deploying a scheduled campaign ahead of its deploy_at', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('writes it at once when an approver asks', async () => {
    const marketer = typedClient(server).client;
    const approver = typedClient(server).client;
    await marketer.auth.login.mutate({ username: 'marketer', password: testPassword });
    await approver.auth.login.mutate({ username: 'approver', password: testPassword });
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: validIins(5, 4000) }),
      deploy_at: '2099-01-01T00:00:00Z',
      submit: true,
    });
    const code = created.campaign.campaign_code;
    const approved = await approver.approvals.approve.mutate({
      code,
      content_hash: created.campaign.content_hash ?? '',
    });
    expect(approved.status).toBe('approved');
    await approver.campaigns.deploy.mutate({ code });
    const deployed = await eventually(async () => {
      const c = await approver.campaigns.get.query({ code });
      return c.workflow_status === 'deployed' ? c : undefined;
    });
    expect(deployed.deployment_result).toMatchObject({ success: true });
    expect(await server.target.countRows('dssb_ocds.mb22_local_target', code)).toBe(5);
  });
});
