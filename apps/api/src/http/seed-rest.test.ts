import { describe, expect, it } from 'vitest';
import { bearerRequest, json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest, seedLiteralIins } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';

// The seed's REST contract with approval switched off: POST /campaigns/create deploys at once and answers
// exactly the seed's shape.
describe('seed REST endpoints (APPROVAL_REQUIRED=false)', () => {
  const iins = validIins(3);
  const env = useServerFixture({ approvalRequired: false, blacklisted: [iins[1]!] });

  it('answers the next RB1 and RB3 codes in the seed shape', async () => {
    const rb1 = await bearerRequest(env.server, env.token, 'GET', '/campaigns/codes/next-rb1');
    expect(rb1.status).toBe(200);
    const body1 = await json(rb1);
    expect(body1).toEqual({
      campaign_code: 'C000000001',
      campaign_type: 'RB1',
      generated_at: expect.any(String),
    });
    const rb3 = await bearerRequest(env.server, env.token, 'GET', '/campaigns/codes/next-rb3');
    expect(await json(rb3)).toEqual({
      campaign_code: 'C000000001',
      campaign_type: 'RB3',
      xls_ow_id: 'KKB_0001',
      generated_at: expect.any(String),
    });
  });

  it('creates and deploys an RB1 campaign with the seed response', async () => {
    const response = await bearerRequest(
      env.server,
      env.token,
      'POST',
      '/campaigns/create',
      seedCreateRequest({ user_iins: iins }),
    );
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({
      success: true,
      campaign_code: 'C000000001',
      campaign_type: 'RB1',
      filter_stats: { initial_count: 3, final_count: 2, blacklist_removed: 1, total_removed: 1 },
      deployment_result: {
        campaign_code: 'C000000001',
        tables_updated: [
          'dssb_ocds.mb01_camp_dict',
          'dssb_ocds.mb22_local_target',
          'spss.fd_rb2_campaigns_users',
          'spss.off_limit_campaigns_users',
        ],
        total_users: 2,
        errors: [],
        success: true,
      },
      message: 'Successfully created RB1 campaign C000000001',
    });
    expect(await env.server.target.countRows('spss.fd_rb2_campaigns_users', 'C000000001')).toBe(2);
  });

  it('creates an RB3 campaign with its XLS_OW_ID', async () => {
    const response = await bearerRequest(
      env.server,
      env.token,
      'POST',
      '/campaigns/create',
      seedCreateRequest({ campaign_type: 'RB3', user_iins: validIins(5, 100) }),
    );
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({
      success: true,
      campaign_code: 'C000000002',
      campaign_type: 'RB3',
      xls_ow_id: 'KKB_0001',
    });
    expect(body.deployment_result.tables_updated).toContain('dssb_ocds.rb3_tr_campaign_dict');
  });

  it('lists with total_count, rb1_count and rb3_count, and filters by type', async () => {
    const all = await json(
      await bearerRequest(env.server, env.token, 'GET', '/campaigns/list?limit=50&offset=0'),
    );
    expect(all).toMatchObject({ total_count: 2, rb1_count: 1, rb3_count: 1 });
    const rb1 = await json(
      await bearerRequest(
        env.server,
        env.token,
        'GET',
        '/campaigns/list?limit=50&offset=0&campaign_type=RB1',
      ),
    );
    expect(rb1.total_count).toBe(1);
    expect(rb1.campaigns[0]).toEqual({
      campaign_code: 'C000000001',
      campaign_type: 'RB1',
      campaign_name: 'Spring Marketing Campaign',
      stream: 'market',
      channel: 'Push',
      date_start: '2024-03-01',
      date_end: '2024-03-31',
      user_count: 2,
      created_at: expect.any(String),
      status: 'Finished',
      workflow_status: 'deployed',
    });
  });

  it('gives the details of one campaign and 404 for an unknown code', async () => {
    const details = await json(await bearerRequest(env.server, env.token, 'GET', '/campaigns/C000000001'));
    expect(details).toMatchObject({
      campaign_code: 'C000000001',
      workflow_status: 'deployed',
      author: 'marketer',
    });
    expect(details.metadata.campaign_name).toBe('Spring Marketing Campaign');
    const missing = await bearerRequest(env.server, env.token, 'GET', '/campaigns/C999999999');
    expect(missing.status).toBe(404);
    expect((await json(missing)).code).toBe('CAMPAIGN.NOT_FOUND');
  });

  it('rejects the seed literal IINs with 400 naming each bad one', async () => {
    const response = await bearerRequest(
      env.server,
      env.token,
      'POST',
      '/campaigns/create',
      seedCreateRequest({ user_iins: seedLiteralIins }),
    );
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.code).toBe('CAMPAIGN.INVALID_IINS');
    expect(body.issues.map((i: { field: string }) => i.field)).toEqual([
      'user_iins[0]',
      'user_iins[1]',
      'user_iins[2]',
    ]);
    expect(body.issues[0].message).toMatch(/check/i);
    expect(body.issues[0]).toMatchObject({ rule: 'iin', expected: 'check_digit' });
  });

  it('rejects bad metadata with 400 naming the field', async () => {
    const request = seedCreateRequest();
    const response = await bearerRequest(env.server, env.token, 'POST', '/campaigns/create', {
      ...request,
      metadata: { ...request.metadata, date_end: '2024-02-01' },
    });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.issues.some((i: { field: string }) => i.field.startsWith('metadata.date_end'))).toBe(true);
  });

  it('answers 401 without credentials and 403 for a role that may not', async () => {
    expect((await fetch(`${env.server.baseUrl}/campaigns/list`)).status).toBe(401);
    const approver = await signedInBrowser(env.server, 'approver');
    const response = await approver.request('POST', '/campaigns/create', seedCreateRequest());
    expect(response.status).toBe(403);
  });

  it('deletes a deployed campaign from every table (approver), then 409 on a second delete', async () => {
    const marketer = await signedInBrowser(env.server, 'marketer');
    expect((await marketer.request('DELETE', '/campaigns/C000000001')).status).toBe(403);
    const approver = await signedInBrowser(env.server, 'approver');
    const response = await approver.request('DELETE', '/campaigns/C000000001?reason=wrong%20audience');
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ success: true, campaign_code: 'C000000001' });
    expect(await env.server.target.countRows('spss.fd_rb2_campaigns_users', 'C000000001')).toBe(0);
    expect((await approver.request('DELETE', '/campaigns/C000000001')).status).toBe(409);
    const list = await json(await bearerRequest(env.server, env.token, 'GET', '/campaigns/list'));
    expect(list).toMatchObject({ total_count: 1, rb1_count: 0, rb3_count: 1 });
  });
});
