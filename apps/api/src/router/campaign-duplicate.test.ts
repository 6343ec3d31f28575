import { describe, expect, it } from 'vitest';
import { json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';

describe('campaigns.duplicate: a new draft like the original, filtered again', () => {
  const iins = validIins(40, 1000);
  const env = useServerFixture({ blacklisted: iins.slice(0, 4) });

  it('copies type, metadata, audience, filters, control share and deploy options, with a new code', async () => {
    const marketer = await signedInBrowser(env.server, 'marketer');
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
    const admin = await signedInBrowser(env.server, 'admin');
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
    const approver = await signedInBrowser(env.server, 'approver');
    expect((await approver.trpc('campaigns.duplicate', { code: original.campaign_code })).status).toBe(403);
  });
});
