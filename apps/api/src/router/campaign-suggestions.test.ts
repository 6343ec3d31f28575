import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('campaigns.suggestions: values used before, most used first', () => {
  let server: TestServer;
  let marketer: Browser;

  beforeAll(async () => {
    server = await startTestServer({});
    marketer = await signedInBrowser(server, 'marketer');
    const streams = ['market', 'deposits', 'market', 'cards', 'market', 'deposits'];
    for (const [i, stream] of streams.entries()) {
      const request = seedCreateRequest({ user_iins: validIins(2, i * 2) });
      const response = await marketer.trpc('campaigns.create', {
        ...request,
        metadata: { ...request.metadata, stream, sub_stream: i === 0 ? ' ' : `sub ${i % 2}` },
      });
      expect(response.status).toBe(200);
    }
  });
  afterAll(async () => server.close());

  it('lists each field’s values by how often they were used, blanks left out', async () => {
    const response = await marketer.trpcQuery('campaigns.suggestions');
    expect(response.status, await response.clone().text()).toBe(200);
    const answer = (await json(response)).result.data;
    expect(answer).toEqual({
      stream: ['market', 'deposits', 'cards'],
      sub_stream: ['sub 1', 'sub 0'],
      target_action: ['purchase'],
      campaign_type: ['promotion'],
    });
  });
});
