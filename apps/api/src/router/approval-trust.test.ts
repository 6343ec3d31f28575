import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenFor } from '../testing/api-token';
import { bearerRequest, json } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';
import { errorOf, signedInClient } from '../testing/trpc-client';

// What an approver signs: every blacklist not applied (skipped or left out) is named and must be acknowledged,
// and nobody who changed the content since its last approval can approve it (four-eyes binds every editor).

const unexpected = (): never => {
  throw new Error('expected the call to be refused');
};

const both = ['ACRM_DW.RB_BLACK_LIST@ACRM', 'BL_No_worker'];

describe('blacklists an approver signs for', () => {
  let server: TestServer;
  const iins = validIins(60);

  beforeAll(async () => {
    // Two registered blacklists: one real, one (BL_No_worker) whose file is missing.
    server = await startTestServer({ blacklisted: iins.slice(0, 3), missingBlacklist: true });
  });
  afterAll(async () => server.close());

  it('refuses to leave a registered blacklist out without a reason, naming it', async () => {
    const marketer = await signedInClient(server, 'marketer');
    const before = await marketer.campaigns.list.query({ mine: true });
    const refused = await marketer.campaigns.create
      .mutate({ ...seedCreateRequest({ user_iins: iins.slice(0, 20) }), submit: true })
      .then(unexpected, errorOf);
    expect(refused).toMatchObject({
      code: 'CAMPAIGN.OMISSION_REASON_REQUIRED',
      status: 400,
      issues: [
        {
          field: 'filter_config.blacklist_omissions.BL_No_worker',
          message: 'Say why the blacklist BL_No_worker is left out',
          rule: 'required',
        },
      ],
    });
    expect((await marketer.campaigns.list.query({ mine: true })).total_count).toBe(before.total_count);
  });

  it('shows a left-out blacklist with its reason and approves only once it is acknowledged', async () => {
    const marketer = await signedInClient(server, 'marketer');
    const approver = await signedInClient(server, 'approver');
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: iins.slice(0, 20) }),
      filter_config: {
        blacklist_tables: ['ACRM_DW.RB_BLACK_LIST@ACRM'],
        blacklist_omissions: { BL_No_worker: 'the list is for payroll offers only' },
      },
      submit: true,
    });
    const code = created.campaign.campaign_code;
    expect(created.campaign.filter_stats).toMatchObject({ initial_count: 20, blacklist_removed: 3 });
    expect(created.campaign.omitted_blacklists).toEqual([
      { name: 'BL_No_worker', reason: 'the list is for payroll offers only' },
    ]);
    const inbox = await approver.approvals.pending.query();
    expect(inbox.campaigns.find((c) => c.campaign_code === code)?.omitted_blacklists).toEqual([
      { name: 'BL_No_worker', reason: 'the list is for payroll offers only' },
    ]);

    const input = { code, content_hash: created.campaign.content_hash ?? '' };
    const refused = await approver.approvals.approve.mutate(input).then(unexpected, errorOf);
    expect(refused).toMatchObject({ code: 'APPROVAL.ACKNOWLEDGEMENT_REQUIRED', status: 409 });
    expect(refused.message).toContain('BL_No_worker (left out: the list is for payroll offers only)');
    expect((await approver.campaigns.get.query({ code })).workflow_status).toBe('pending_approval');

    const ok = await approver.approvals.approve.mutate({ ...input, acknowledge_skipped_blacklists: true });
    expect(ok.status).toBe('approved');
    const details = await approver.campaigns.get.query({ code });
    expect(details.decisions.at(-1)).toMatchObject({ decision: 'approved', acknowledged_warnings: true });
    const history = await approver.campaigns.history.query({ code });
    expect(history.find((h) => h.action === 'campaign.approved')?.details).toMatchObject({
      acknowledgedOmittedBlacklists: [
        { name: 'BL_No_worker', reason: 'the list is for payroll offers only' },
      ],
    });
  });

  it('requires acknowledging a blacklist that was asked for but could not be read', async () => {
    const marketer = await signedInClient(server, 'marketer');
    const approver = await signedInClient(server, 'approver');
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: iins.slice(30) }),
      filter_config: { blacklist_tables: both },
      submit: true,
    });
    expect(created.campaign.skipped_blacklists).toEqual(['BL_No_worker']);
    expect(created.campaign.omitted_blacklists).toEqual([]);
    const input = { code: created.campaign.campaign_code, content_hash: created.campaign.content_hash ?? '' };
    const refused = await approver.approvals.approve.mutate(input).then(unexpected, errorOf);
    expect(refused.code).toBe('APPROVAL.ACKNOWLEDGEMENT_REQUIRED');
    const ok = await approver.approvals.approve.mutate({ ...input, acknowledge_skipped_blacklists: true });
    expect(ok.status).toBe('approved');
  });

  it('records a blacklist the seed REST body leaves out, and the approver must acknowledge it', async () => {
    const token = await apiTokenFor(server, 'marketer');
    // The seed's own example lists one blacklist and no reasons: accepted as the seed answers.
    const response = await bearerRequest(server, token, 'POST', '/campaigns/create', {
      ...seedCreateRequest({ user_iins: iins.slice(40) }),
    });
    expect(response.status).toBe(200);
    const code = (await json(response)).campaign_code as string;
    const approver = await signedInClient(server, 'approver');
    const details = await approver.campaigns.get.query({ code });
    expect(details.omitted_blacklists).toEqual([{ name: 'BL_No_worker', reason: null }]);
    const refused = await approver.approvals.approve
      .mutate({ code, content_hash: details.content_hash ?? '' })
      .then(unexpected, errorOf);
    expect(refused.message).toContain('BL_No_worker (left out: no reason given)');
  });

  it('needs no acknowledgement when every registered blacklist is applied and read', async () => {
    const solo = await startTestServer({ blacklisted: iins.slice(0, 3) });
    try {
      const marketer = await signedInClient(solo, 'marketer');
      const approver = await signedInClient(solo, 'approver');
      const created = await marketer.campaigns.create.mutate({
        ...seedCreateRequest({ user_iins: iins.slice(0, 10) }),
        submit: true,
      });
      expect(created.campaign.omitted_blacklists).toEqual([]);
      const ok = await approver.approvals.approve.mutate({
        code: created.campaign.campaign_code,
        content_hash: created.campaign.content_hash ?? '',
      });
      expect(ok.status).toBe('approved');
    } finally {
      await solo.close();
    }
  });
});

describe('four-eyes binds every editor', () => {
  let server: TestServer;
  const iins = validIins(30, 1000);

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('an admin who replaced the audience of a pending campaign cannot approve it; another approver can', async () => {
    const marketer = await signedInClient(server, 'marketer');
    const admin = await signedInClient(server, 'admin');
    const approver = await signedInClient(server, 'approver');
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: iins.slice(0, 10) }),
      submit: true,
    });
    const code = created.campaign.campaign_code;
    expect((await admin.campaigns.get.query({ code })).actions).toContain('approve');

    // The admin swaps the audience (back to draft), the marketer resubmits without looking.
    await admin.campaigns.update.mutate({ code, user_iins: iins.slice(10, 30) });
    const resubmitted = await marketer.campaigns.submit.mutate({ code });
    expect(resubmitted.filter_stats).toMatchObject({ initial_count: 20 });

    const seenByAdmin = await admin.campaigns.get.query({ code });
    expect(seenByAdmin.edited_by_you).toBe(true);
    expect(seenByAdmin.actions).not.toContain('approve');
    expect(seenByAdmin.actions).toContain('reject');
    const refused = await admin.approvals.approve
      .mutate({ code, content_hash: resubmitted.content_hash ?? '' })
      .then(unexpected, errorOf);
    expect(refused).toMatchObject({ code: 'APPROVAL.SELF_APPROVAL', status: 403 });
    expect((await admin.campaigns.get.query({ code })).workflow_status).toBe('pending_approval');

    expect((await approver.campaigns.get.query({ code })).actions).toContain('approve');
    const ok = await approver.approvals.approve.mutate({
      code,
      content_hash: resubmitted.content_hash ?? '',
    });
    expect(ok.status).toBe('approved');
  });

  it('an edit before the last approval does not bar its editor from approving a later change by others', async () => {
    const marketer = await signedInClient(server, 'marketer');
    const admin = await signedInClient(server, 'admin');
    const approver = await signedInClient(server, 'approver');
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: iins.slice(0, 5) }),
      deploy_at: '2099-01-01T00:00:00Z',
      submit: false,
    });
    const code = created.campaign.campaign_code;
    await admin.campaigns.update.mutate({ code, user_iins: iins.slice(0, 8) });
    await marketer.campaigns.submit.mutate({ code });
    const first = await marketer.campaigns.get.query({ code });
    await approver.approvals.approve.mutate({ code, content_hash: first.content_hash ?? '' });

    // Approved (scheduled for later); the marketer edits it, which returns it to draft, and resubmits.
    const edited = await marketer.campaigns.update.mutate({ code, user_iins: iins.slice(0, 9) });
    await marketer.campaigns.submit.mutate({ code });
    expect((await admin.campaigns.get.query({ code })).actions).toContain('approve');
    const ok = await admin.approvals.approve.mutate({ code, content_hash: edited.content_hash ?? '' });
    expect(ok.status).toBe('approved');
  });
});
