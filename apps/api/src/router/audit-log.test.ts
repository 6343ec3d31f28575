import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json } from '../testing/http-client';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

interface Page {
  entries: Array<{ action: string; entity_id: string | null; details: Record<string, unknown> }>;
  names: Record<string, string>;
}

describe('audit.list names what its entries mention (no bare ids for the admin to decode)', () => {
  let server: TestServer;
  let admin: Browser;
  let marketer: Browser;

  beforeAll(async () => {
    server = await startTestServer({});
    admin = new Browser(server);
    marketer = new Browser(server);
    await admin.login('admin');
    await marketer.login('marketer');
  });
  afterAll(async () => server.close());

  it('gives users, tokens and campaigns by name', async () => {
    const request = seedCreateRequest();
    const created = await json(
      await marketer.trpc('campaigns.create', {
        ...request,
        metadata: { ...request.metadata, campaign_name: 'Кешбэк весной' },
      }),
    );
    const code = created.result.data.campaign.campaign_code as string;
    const token = await json(
      await admin.trpc('tokens.create', { userId: server.users.marketer!.id, name: 'reporting' }),
    );
    const tokenId = token.result.data.id as string;
    await admin.trpc('tokens.revoke', { tokenId });

    const page = (await json(await admin.trpcQuery('audit.list', { limit: 50 }))).result.data as Page;
    const made = page.entries.find((e) => e.action === 'token.created')!;
    expect(made.entity_id).toBe(tokenId);
    expect(page.names[tokenId]).toBe('reporting (marketer)');
    expect(page.names[made.details.userId as string]).toBe('marketer');
    expect(page.names[code]).toBe('Кешбэк весной');
    // Every id-shaped value of the page has a name.
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const ids = page.entries.flatMap((e) =>
      [e.entity_id, ...Object.values(e.details)].filter(
        (v): v is string => typeof v === 'string' && uuid.test(v),
      ),
    );
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.filter((id) => !page.names[id])).toEqual([]);
  });

  it('is for admins only', async () => {
    expect((await marketer.trpcQuery('audit.list', {})).status).toBe(403);
  });
});
