import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveAsSubmitted, deployedCampaign } from '../testing/campaign-steps';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';
import { type SignedInClient, signedInClient } from '../testing/trpc-client';

/** The reader's inbox entries about one campaign, by kind. */
async function about(client: SignedInClient, code: string) {
  const inbox = await client.notifications.mine.query();
  return inbox.notifications.filter((n) => n.params.code === code);
}

describe('notifications: requests settle, deletions reach the author, all can be marked read', () => {
  let server: TestServer;
  let marketer: SignedInClient;
  let approver: SignedInClient;
  let admin: SignedInClient;
  let made = 0;
  const create = async () => {
    made += 1;
    const created = await marketer.campaigns.create.mutate({
      ...seedCreateRequest({ user_iins: validIins(5, made * 5) }),
      submit: true,
    });
    return created.campaign;
  };

  beforeAll(async () => {
    server = await startTestServer({});
    marketer = await signedInClient(server, 'marketer');
    approver = await signedInClient(server, 'approver');
    admin = await signedInClient(server, 'admin');
  });
  afterAll(async () => server.close());

  it('settles every approver’s request once one of them decides, and says who decided what', async () => {
    const approved = await create();
    const rejected = await create();
    // Both reviewers (approver and admin) were asked, unread.
    for (const reviewer of [approver, admin])
      for (const c of [approved, rejected])
        expect(await about(reviewer, c.campaign_code)).toMatchObject([
          { kind: 'campaign.submitted', read: false },
        ]);
    await approveAsSubmitted(approver, approved);
    await admin.approvals.reject.mutate({ code: rejected.campaign_code, comment: 'Name the product.' });
    for (const reviewer of [approver, admin]) {
      const [request] = (await about(reviewer, approved.campaign_code)).filter(
        (n) => n.kind === 'campaign.submitted',
      );
      expect(request).toMatchObject({
        read: true,
        params: { resolution: 'approved', resolved_by: 'approver' },
      });
      expect(await about(reviewer, rejected.campaign_code)).toMatchObject([
        { read: true, params: { resolution: 'rejected', resolved_by: 'admin' } },
      ]);
    }
    // Resubmitted after the rejection: a new request, open, beside the settled one.
    await marketer.campaigns.submit.mutate({ code: rejected.campaign_code });
    const requests = await about(approver, rejected.campaign_code);
    expect(requests.map((n) => [n.read, n.params.resolution ?? null])).toEqual([
      [false, null],
      [true, 'rejected'],
    ]);
  });

  it('withdraws the request when the author edits a pending campaign, and when it is deleted', async () => {
    const edited = await create();
    await marketer.campaigns.update.mutate({
      code: edited.campaign_code,
      metadata: { ...seedCreateRequest().metadata, campaign_name: 'Renamed' },
    });
    expect(await about(approver, edited.campaign_code)).toMatchObject([
      { read: true, params: { resolution: 'withdrawn', resolved_by: 'marketer' } },
    ]);
    const deleted = await create();
    await marketer.campaigns.delete.mutate({ code: deleted.campaign_code });
    expect(await about(approver, deleted.campaign_code)).toMatchObject([
      { read: true, params: { resolution: 'deleted', resolved_by: 'marketer' } },
    ]);
    // The author deleted it themselves: nothing to tell them.
    expect((await about(marketer, deleted.campaign_code)).map((n) => n.kind)).toEqual([]);
  });

  it('tells the author who deleted their deployed campaign, why, and what left the target tables', async () => {
    const campaign = await create();
    await approveAsSubmitted(approver, campaign);
    await deployedCampaign(marketer, campaign.campaign_code);
    const rows =
      (await server.target.countRows('dssb_ocds.mb22_local_target', campaign.campaign_code)) +
      (await server.target.countRows('spss.fd_rb2_campaigns_users', campaign.campaign_code)) +
      (await server.target.countRows('spss.off_limit_campaigns_users', campaign.campaign_code)) +
      1; // the metadata row
    await approver.campaigns.delete.mutate({ code: campaign.campaign_code, reason: 'ended early' });
    const [deleted] = (await about(marketer, campaign.campaign_code)).filter(
      (n) => n.kind === 'campaign.deleted',
    );
    expect(deleted).toMatchObject({
      read: false,
      params: { by: 'approver', reason: 'ended early', rows_removed: rows },
    });
  });

  it('marks all of the caller’s notifications read, and only theirs', async () => {
    await create();
    const before = await approver.notifications.mine.query();
    expect(before.unread).toBeGreaterThan(0);
    const adminUnread = (await admin.notifications.mine.query()).unread;
    expect(await approver.notifications.markAllRead.mutate()).toEqual({ marked: before.unread });
    const after = await approver.notifications.mine.query();
    expect(after.unread).toBe(0);
    expect(after.notifications.every((n) => n.read)).toBe(true);
    expect((await admin.notifications.mine.query()).unread).toBe(adminUnread);
    expect(await approver.notifications.markAllRead.mutate()).toEqual({ marked: 0 });
  });
});
