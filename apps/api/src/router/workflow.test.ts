import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { approveAsSubmitted, deployedCampaign } from '../testing/campaign-steps';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';
import { errorOf, signedInClient } from '../testing/trpc-client';

// The whole flow through a typed @trpc/client over real HTTP: marketer -> approver -> deployed -> listed -> deleted.
describe('campaign workflow over tRPC', () => {
  const iins = validIins(40);
  const env = useServerFixture({ blacklisted: iins.slice(0, 4) });

  it('walks marketer -> approver -> deployed -> listed -> deleted', async () => {
    const marketer = await signedInClient(env.server, 'marketer');
    const approver = await signedInClient(env.server, 'approver');

    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: iins }),
      control_group: { share: 0.25, strata: 'sex_age' },
      submit: true,
    });
    const code = created.campaign.campaign_code;
    expect(created.campaign.workflow_status).toBe('pending_approval');
    expect(created.campaign.filter_stats).toMatchObject({
      initial_count: 40,
      blacklist_removed: 4,
      final_count: 36,
    });
    expect(created.deployment_result).toBeNull();

    // The marketer cannot approve (role), and the approver sees it in the inbox with the author.
    await expect(approveAsSubmitted(marketer, created.campaign)).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    const inbox = await approver.approvals.pending.query();
    expect(inbox.campaigns.find((c) => c.campaign_code === code)).toMatchObject({
      author: 'marketer',
      final_count: 36,
    });

    const approved = await approveAsSubmitted(approver, created.campaign);
    expect(approved.deploy_job).not.toBeNull();
    const deployed = await deployedCampaign(marketer, code);
    expect(deployed.deployment_result).toMatchObject({ success: true, errors: [] });
    const targetRows = await env.server.target.countRows('dssb_ocds.mb22_local_target', code);
    const controlRows = await env.server.target.countRows('dssb_ocds.mb21_local_control', code);
    expect(targetRows + controlRows).toBe(36);
    expect(controlRows).toBeGreaterThan(0);

    const list = await marketer.campaigns.list.query({ campaign_type: 'RB1' });
    expect(list.campaigns.map((c) => c.campaign_code)).toContain(code);

    // Notifications reached the approver (submitted) and the author (approved, deployed).
    const marketerInbox = await marketer.notifications.mine.query();
    expect(marketerInbox.notifications.map((n) => n.kind)).toEqual(
      expect.arrayContaining(['campaign.approved', 'campaign.deployed']),
    );
    // Each carries its kind's params, so the SPA words it in the reader's language.
    expect(marketerInbox.notifications.find((n) => n.kind === 'campaign.deployed')?.params).toEqual({
      code,
      name: 'Spring Marketing Campaign',
      campaign_type: 'RB1',
      users: deployed.deployment_result?.total_users,
      // What each count counts: the target table's clients and the control group's, apart.
      target: targetRows,
      control: controlRows,
    });
    const approverInbox = await approver.notifications.mine.query();
    // The request is settled by the decision: read, and it says who decided what.
    expect(approverInbox.notifications.find((n) => n.kind === 'campaign.submitted')).toMatchObject({
      read: true,
      params: {
        code,
        name: 'Spring Marketing Campaign',
        campaign_type: 'RB1',
        resolution: 'approved',
        resolved_by: 'approver',
      },
    });

    // Deleting a deployed campaign is not for its marketer; the approver does it, with a reason.
    await expect(marketer.campaigns.delete.mutate({ code })).rejects.toBeInstanceOf(TRPCClientError);
    const deleted = await approver.campaigns.delete.mutate({ code, reason: 'ended early' });
    expect(deleted.status).toBe('deleted');
    expect(await env.server.target.countRows('spss.fd_rb2_campaigns_users', code)).toBe(0);

    const history = await marketer.campaigns.history.query({ code });
    expect(history.map((h) => h.action)).toEqual([
      'campaign.created',
      'campaign.submitted',
      'campaign.approved',
      'campaign.deploying',
      'campaign.deployed',
      'campaign.deleted',
    ]);
    expect(history.at(-1)).toMatchObject({
      actor: 'approver',
      details: { reason: 'ended early' },
    });
    // Where a change came from is for admins (issue 13, item 10).
    expect(history.at(-1)?.details).not.toHaveProperty('address');
  });

  it('refuses self-approval (four eyes), even for an admin', async () => {
    const admin = await signedInClient(env.server, 'admin');
    const created = await admin.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: iins.slice(10) }),
      submit: true,
    });
    const error = await approveAsSubmitted(admin, created.campaign).catch((e: unknown) => e);
    expect(errorOf(error).code).toBe('APPROVAL.SELF_APPROVAL');
    expect(error).toMatchObject({ data: { code: 'FORBIDDEN', httpStatus: 403 } });
  });

  it('sends an edited approved campaign back to draft, and a stale approval is refused', async () => {
    const marketer = await signedInClient(env.server, 'marketer');
    const approver = await signedInClient(env.server, 'approver');
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: iins.slice(20) }),
      deploy_at: '2099-01-01T00:00:00Z',
      submit: true,
    });
    const code = created.campaign.campaign_code;
    const approved = await approveAsSubmitted(approver, created.campaign);
    expect(approved).toMatchObject({ status: 'approved', deploy_job: null });

    const edited = await marketer.campaigns.update.mutate({
      code,
      metadata: { ...seedCreateRequest().metadata, campaign_name: 'Renamed after approval' },
    });
    expect(edited.workflow_status).toBe('draft');
    expect(edited.content_hash).not.toBe(created.campaign.content_hash);

    await marketer.campaigns.submit.mutate({ code });
    const stale = await approver.approvals.approve
      .mutate({ code, content_hash: created.campaign.content_hash ?? '' })
      .catch((e: unknown) => e);
    expect(errorOf(stale).code).toBe('APPROVAL.CONTENT_CHANGED');
    const fresh = await approver.approvals.approve.mutate({ code, content_hash: edited.content_hash ?? '' });
    expect(fresh.status).toBe('approved');
  });

  it('rejects with a comment back to the author', async () => {
    const marketer = await signedInClient(env.server, 'marketer');
    const approver = await signedInClient(env.server, 'approver2');
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: iins.slice(5) }),
      submit: true,
    });
    const code = created.campaign.campaign_code;
    await approver.approvals.reject.mutate({ code, comment: 'Shorten the SMS text' });
    const details = await marketer.campaigns.get.query({ code });
    expect(details.workflow_status).toBe('rejected');
    expect(details.decisions).toEqual([
      expect.objectContaining({
        decision: 'rejected',
        comment: 'Shorten the SMS text',
        approver: 'approver2',
      }),
    ]);
    expect(details.actions).toEqual(expect.arrayContaining(['edit', 'submit', 'delete']));
    const inbox = await marketer.notifications.mine.query({ unread_only: true });
    expect(inbox.notifications.find((n) => n.kind === 'campaign.rejected')?.body).toBe(
      'Shorten the SMS text',
    );
    expect(inbox.notifications.find((n) => n.kind === 'campaign.rejected')?.params).toMatchObject({
      comment: 'Shorten the SMS text',
    });
  });
});
