import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json } from '../testing/http-client';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

interface Row {
  campaign_code: string;
  campaign_type: string;
  campaign_name: string;
  created_at: string;
}

const names = [
  'Весенняя акция',
  'ВЕСЕННЯЯ распродажа',
  'Autumn Sale',
  '100% cashback',
  'under_score',
  'Көктем бонусы',
  'Spring push',
];

describe('campaigns.list search and sort (server-side, over all campaigns)', () => {
  let server: TestServer;
  let marketer: Browser;
  const list = async (input: Record<string, unknown>) =>
    (await json(await marketer.trpcQuery('campaigns.list', input))).result.data as {
      campaigns: Row[];
      total_count: number;
      rb1_count: number;
      rb3_count: number;
    };

  beforeAll(async () => {
    server = await startTestServer({ approvalRequired: true });
    marketer = new Browser(server);
    await marketer.login('marketer');
    for (const [i, name] of names.entries()) {
      const request = seedCreateRequest({ campaign_type: i % 3 === 0 ? 'RB3' : 'RB1' });
      const created = await marketer.trpc('campaigns.create', {
        ...request,
        metadata: { ...request.metadata, campaign_name: name },
      });
      expect(created.status).toBe(200);
    }
  });
  afterAll(async () => server.close());

  it('matches part of the name or the code in any case, every page from all campaigns, with its total', async () => {
    const all = (await list({ limit: 500 })).campaigns;
    expect(all).toHaveLength(names.length);
    // Naive reference: the whole newest-first list filtered here.
    const expected = (text: string, type?: string) =>
      all.filter(
        (c) =>
          (!type || c.campaign_type === type) &&
          (c.campaign_name.toLowerCase().includes(text.toLowerCase()) ||
            c.campaign_code.toLowerCase().includes(text.toLowerCase())),
      );
    const someCode = all[3]!.campaign_code;
    for (const text of ['весенн', 'SALE', 'көктем', '%', '_', someCode.toLowerCase(), 'nothing like it']) {
      const want = expected(text);
      const page1 = await list({ search: text, limit: 2 });
      const page2 = await list({ search: text, limit: 2, offset: 2 });
      expect(page1.total_count, text).toBe(want.length);
      expect(
        [...page1.campaigns, ...page2.campaigns].map((c) => c.campaign_code),
        text,
      ).toEqual(want.slice(0, 4).map((c) => c.campaign_code));
      // The overall type counts do not depend on the search.
      expect(page1.rb1_count + page1.rb3_count).toBe(names.length);
    }
    expect(
      (await list({ search: 'весенн', campaign_type: 'RB1' })).campaigns.map((c) => c.campaign_code),
    ).toEqual(expected('весенн', 'RB1').map((c) => c.campaign_code));
    // `%` and `_` are literal characters, not wildcards.
    expect((await list({ search: '%' })).campaigns.map((c) => c.campaign_name)).toEqual(['100% cashback']);
    expect((await list({ search: '_' })).campaigns.map((c) => c.campaign_name)).toEqual(['under_score']);
    // Past the last page: no rows, the total still right.
    expect(await list({ search: 'весенн', offset: 10 })).toMatchObject({ campaigns: [], total_count: 2 });
  });

  it('sorts oldest first across pages, the exact reverse of newest first', async () => {
    const newest = (await list({ limit: 500 })).campaigns.map((c) => c.campaign_code);
    const oldest: string[] = [];
    for (let offset = 0; offset < names.length; offset += 3) {
      const page = await list({ sort: 'created_asc', limit: 3, offset });
      expect(page.total_count).toBe(names.length);
      oldest.push(...page.campaigns.map((c) => c.campaign_code));
    }
    expect(oldest).toEqual([...newest].reverse());
    expect((await list({ sort: 'created_desc', limit: 500 })).campaigns.map((c) => c.campaign_code)).toEqual(
      newest,
    );
  });

  it('leaves the seed REST list as it was (the new parameters are not part of it)', async () => {
    const rest = await json(
      await marketer.request('GET', '/campaigns/list?limit=2&offset=0&search=zzz&sort=created_asc'),
    );
    expect(Object.keys(rest).sort()).toEqual(['campaigns', 'rb1_count', 'rb3_count', 'total_count']);
    expect(rest.total_count).toBe(names.length);
    expect(rest.campaigns.map((c: Row) => c.campaign_code)).toEqual(
      (await list({ limit: 2 })).campaigns.map((c) => c.campaign_code),
    );
  });
});
