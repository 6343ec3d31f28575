import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { type Browser, bearerRequest, json, signedInBrowser } from '../testing/http-client';
import { startTestServer, type TestServer } from '../testing/test-server';

const day = 24 * 60 * 60 * 1000;

describe('API tokens: each with its owner and an expiry that is enforced', () => {
  let server: TestServer;
  const clock = new ManualClock(new Date('2030-01-10T09:00:00Z'));
  let admin: Browser;
  const tokens = async () => {
    await admin.login('admin');
    return (await json(await admin.trpcQuery('tokens.list'))).result.data as Array<{
      name: string;
      owner: string;
      ownerRole: string;
      expiresAt: string | null;
      expired: boolean;
    }>;
  };

  beforeAll(async () => {
    server = await startTestServer({ clock });
    admin = await signedInBrowser(server, 'admin');
  });
  afterAll(async () => server.close());

  it('lists every token with its owner and expiry; after it, the token signs nobody in', async () => {
    const create = async (name: string, username: string, days: number | null) => {
      const response = await admin.trpc('tokens.create', {
        userId: server.users[username]!.id,
        name,
        expires_in_days: days,
      });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await json(response)).result.data as { token: string; expiresAt: string | null };
    };
    const monthly = await create('reporting', 'marketer', 30);
    expect(monthly.expiresAt).toBe(new Date(clock.now().getTime() + 30 * day).toISOString());
    const forever = await create('archive sync', 'approver', null);
    expect(forever.expiresAt).toBeNull();

    const listed = await tokens();
    expect(listed.map((t) => [t.name, t.owner, t.ownerRole, t.expiresAt, t.expired])).toEqual([
      ['archive sync', 'approver', 'approver', null, false],
      ['reporting', 'marketer', 'marketer', monthly.expiresAt, false],
    ]);
    const list = (token: string) => bearerRequest(server, token, 'GET', '/campaigns/list');
    expect((await list(monthly.token)).status).toBe(200);

    clock.advance(30 * day - 1000);
    expect((await list(monthly.token)).status).toBe(200);
    clock.advance(1000);
    expect((await list(monthly.token)).status).toBe(401);
    expect((await list(forever.token)).status).toBe(200);
    expect((await tokens()).find((t) => t.name === 'reporting')?.expired).toBe(true);
  });

  it('refuses an expiry outside 1-730 days, naming the field', async () => {
    for (const days of [0, 731, 1.5]) {
      const response = await admin.trpc('tokens.create', {
        userId: server.users.marketer!.id,
        name: 'bad',
        expires_in_days: days,
      });
      expect(response.status).toBe(400);
      expect((await json(response)).error.data.issues[0].field).toBe('expires_in_days');
    }
  });
});
