import { describe, expect, it } from 'vitest';
import { bearerRequest, json } from './testing/http-client';
import { seedCreateRequest } from './testing/seed-examples';
import { useServerFixture } from './testing/server-fixture';

// Issue 12 item 6: every refused field comes back with its path, the rule it breaks and that rule's limit or
// expected value (core's InputIssue), all of them at once, on tRPC and REST alike, so the admin can word each
// one in the UI language. Before, a tRPC input problem was `{ field, message }` with zod's English only and
// the error's message was zod's JSON dump; metadata problems lost the rule their schema gave them.
describe('refused input names each field, its rule and its limit', () => {
  const env = useServerFixture();

  /** A create with three bad request fields the admin form has no rule for, and a metadata field too long. */
  function badRequest() {
    const request = seedCreateRequest();
    return {
      ...request,
      metadata: { ...request.metadata, campaign_name: 'N'.repeat(256) },
      control_group: { share: 1.5 },
      deploy_at: 'tomorrow morning',
    };
  }

  const requestIssues = [
    expect.objectContaining({ field: 'control_group.share', rule: 'too_big', limit: 0.9 }),
    expect.objectContaining({ field: 'deploy_at', rule: 'invalid_format', expected: 'datetime' }),
  ];

  it('tRPC: every input problem with its rule and limit, and a message that is not zod JSON', async () => {
    const response = await env.marketer.trpc('campaigns.create', badRequest());
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.data.issues).toEqual(requestIssues);
    expect(error.data.issues[0].inclusive).toBeUndefined(); // 0.9 itself is allowed
    expect(error.message).not.toMatch(/^\s*\[|"origin"|"code"/);
    expect(error.message).toMatch(/^control_group\.share: .+; deploy_at: /);
  });

  it('tRPC: metadata problems keep the rule and the limit their schema gives', async () => {
    const { control_group: _c, deploy_at: _d, ...request } = badRequest();
    const response = await env.marketer.trpc('campaigns.create', {
      ...request,
      metadata: { ...request.metadata, date_end: '2024-02-30' },
    });
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.data.domainCode).toBe('CAMPAIGN.INVALID_METADATA');
    expect(error.data.issues).toEqual([
      expect.objectContaining({ field: 'metadata.campaign_name', rule: 'too_long', limit: 255 }),
      expect.objectContaining({ field: 'metadata.date_end', rule: 'date_not_real' }),
    ]);
  });

  it('REST: the seed create answers the same issues (the OpenAPI Error schema documents them)', async () => {
    const response = await bearerRequest(env.server, env.token, 'POST', '/campaigns/create', {
      ...badRequest(),
      campaign_type: 'RB2',
    });
    expect(response.status).toBe(400);
    const body = await json(response);
    expect(body.code).toBe('REQUEST.INVALID');
    expect(body.issues).toEqual([
      expect.objectContaining({ field: 'campaign_type', rule: 'invalid_value', allowed: ['RB1', 'RB3'] }),
      ...requestIssues,
    ]);
    expect(body.detail).toMatch(/^campaign_type: .+; control_group\.share: .+; deploy_at: /);
  });
});
