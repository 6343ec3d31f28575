import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('campaigns.duplicate: a new draft like the original, filtered again', () => {
  let server: TestServer;
  const iins = validIins(40, 1000);

  beforeAll(async () => {
    server = await startTestServer({ blacklisted: iins.slice(0, 4) });
  });
  afterAll(async () => server.close());

  it('copies type, metadata, audience, filters, control share and deploy options, with a new code', async () => {
    const marketer = new Browser(server);
    await marketer.login('marketer');
    const request = seedCreateRequest({ campaign_type: 'RB3', user_iins: iins });
    const original = (
      await json(
        await marketer.trpc('campaigns.create', {
          ...request,
          control_group: { share: 0.25, strata: 'sex_age' },
          deploy_options: { ...request.deploy_options, deploy_offlimit: false },
          submit: true,
        }),
      )
    ).result.data.campaign;
    const admin = new Browser(server);
    await admin.login('admin');
    const response = await admin.trpc('campaigns.duplicate', { code: original.campaign_code });
    expect(response.status, await response.clone().text()).toBe(200);
    const copy = (await json(response)).result.data;
    expect(copy.campaign_code).not.toBe(original.campaign_code);
    expect(copy.xls_ow_id).not.toBe(original.xls_ow_id);
    expect(copy).toMatchObject({
      workflow_status: 'draft',
      author: 'admin',
      campaign_type: 'RB3',
      campaign_name: 'Spring Marketing Campaign (copy)',
      filter_stats: original.filter_stats,
      deploy_options: original.deploy_options,
      filter_config: original.filter_config,
    });
    const { campaign_name: _a, ...copiedMetadata } = copy.metadata;
    const { campaign_name: _b, ...originalMetadata } = original.metadata;
    expect(copiedMetadata).toEqual(originalMetadata);
    const history = (await json(await admin.trpcQuery('campaigns.history', { code: copy.campaign_code })))
      .result.data;
    expect(history.map((h: { action: string }) => h.action)).toEqual([
      'campaign.created',
      'campaign.duplicated',
    ]);
    const approver = new Browser(server);
    await approver.login('approver');
    expect((await approver.trpc('campaigns.duplicate', { code: original.campaign_code })).status).toBe(403);
  });
});
