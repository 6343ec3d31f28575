import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer, testPassword } from '../testing/test-server';
import { typedClient } from '../testing/trpc-client';

async function signedIn(server: TestServer, username: string) {
  const { client } = typedClient(server);
  await client.auth.login.mutate({ username, password: testPassword });
  return client;
}
type Client = Awaited<ReturnType<typeof signedIn>>;

/** The reader's inbox entries about one campaign, by kind. */
async function about(client: Client, code: string) {
  const inbox = await client.notifications.mine.query();
  return inbox.notifications.filter((n) => n.params.code === code);
}

describe('notifications: requests settle, deletions reach the author, all can be marked read', () => {
  let server: TestServer;
  let marketer: Client;
  let approver: Client;
  let admin: Client;
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
    marketer = await signedIn(server, 'marketer');
    approver = await signedIn(server, 'approver');
    admin = await signedIn(server, 'admin');
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
    await approver.approvals.approve.mutate({
      code: approved.campaign_code,
      content_hash: approved.content_hash ?? '',
    });
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
    await approver.approvals.approve.mutate({
      code: campaign.campaign_code,
      content_hash: campaign.content_hash ?? '',
    });
    await eventually(async () => {
      const c = await marketer.campaigns.get.query({ code: campaign.campaign_code });
      return c.workflow_status === 'deployed' ? c : undefined;
    });
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
