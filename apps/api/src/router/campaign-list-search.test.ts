import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

interface Row {
  campaign_code: string;
  campaign_type: string;
  campaign_name: string;
  channel: string;
  date_start: string;
  user_count: number;
  workflow_status: string;
  created_at: string;
}

const channels = ['Push', 'SMS', 'POP-UP'] as const;
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
    marketer = await signedInBrowser(server, 'marketer');
    // Columns that differ from row to row (and tie on some), so each sort has something to order.
    for (const [i, name] of names.entries()) {
      const request = seedCreateRequest({
        campaign_type: i % 3 === 0 ? 'RB3' : 'RB1',
        user_iins: validIins(1 + ((i * 5) % 4)),
      });
      const created = await marketer.trpc('campaigns.create', {
        ...request,
        metadata: {
          ...request.metadata,
          campaign_name: name,
          channel: channels[i % channels.length],
          date_start: `2024-0${1 + ((i * 3) % 7)}-01`,
          date_end: '2024-12-31',
          out_date: '2024-09-01',
        },
        submit: i % 2 === 0,
      });
      expect(created.status, await created.clone().text()).toBe(200);
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
      const page = await list({ sort: 'created', order: 'asc', limit: 3, offset });
      expect(page.total_count).toBe(names.length);
      oldest.push(...page.campaigns.map((c) => c.campaign_code));
    }
    expect(oldest).toEqual([...newest].reverse());
    expect(
      (await list({ sort: 'created', order: 'desc', limit: 500 })).campaigns.map((c) => c.campaign_code),
    ).toEqual(newest);
  });

  it('sorts by every column both ways, across pages, as a plain sort of the whole list does', async () => {
    const all = (await list({ limit: 500 })).campaigns;
    // Naive reference: the column's value, ties broken by the code; names compared case-blind, by code point.
    const value: Record<string, (c: Row) => string | number> = {
      code: (c) => c.campaign_code,
      type: (c) => c.campaign_type,
      name: (c) => c.campaign_name.toLowerCase(),
      channel: (c) => c.channel,
      date_start: (c) => c.date_start,
      users: (c) => c.user_count,
      status: (c) => c.workflow_status,
      created: (c) => c.created_at,
    };
    for (const [column, of] of Object.entries(value)) {
      const ascending = [...all]
        .sort((a, b) => {
          const [x, y] = [of(a), of(b)];
          if (x !== y) return x < y ? -1 : 1;
          return a.campaign_code < b.campaign_code ? -1 : 1;
        })
        .map((c) => c.campaign_code);
      for (const order of ['asc', 'desc'] as const) {
        const shown: string[] = [];
        for (let offset = 0; offset < names.length; offset += 3)
          shown.push(
            ...(await list({ sort: column, order, limit: 3, offset })).campaigns.map((c) => c.campaign_code),
          );
        expect(shown, `${column} ${order}`).toEqual(order === 'asc' ? ascending : [...ascending].reverse());
      }
    }
    expect((await marketer.trpcQuery('campaigns.list', { sort: 'password_hash' })).status).toBe(400);
  });

  it('filters by channel and by status, together with the type and the search', async () => {
    const all = (await list({ limit: 500 })).campaigns;
    for (const channel of channels) {
      const shown = await list({ channel, limit: 500 });
      expect(shown.campaigns.map((c) => c.campaign_code)).toEqual(
        all.filter((c) => c.channel === channel).map((c) => c.campaign_code),
      );
      expect(shown.total_count).toBe(shown.campaigns.length);
      const pending = await list({ channel, status: ['pending_approval'], campaign_type: 'RB1', limit: 500 });
      expect(pending.campaigns.map((c) => c.campaign_code)).toEqual(
        all
          .filter(
            (c) =>
              c.channel === channel && c.workflow_status === 'pending_approval' && c.campaign_type === 'RB1',
          )
          .map((c) => c.campaign_code),
      );
    }
    expect((await marketer.trpcQuery('campaigns.list', { channel: 'Email' })).status).toBe(400);
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
