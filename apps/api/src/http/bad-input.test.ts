import { describe, expect, it } from 'vitest';
import { Browser, bearerRequest, json } from '../testing/http-client';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';

// Issue 13, "Bad input is a 4xx": each probe that answered 500 answers 400 naming the field, reserves no code
// and is logged at warn without a stack trace.
describe('bad input is a 400 naming the field', () => {
  const env = useServerFixture();

  async function reservedCodes(): Promise<string | null> {
    return env.server.app.store.codeReservations.largest('campaign_code');
  }

  function fieldsOf(body: unknown): string[] {
    const b = body as {
      issues?: Array<{ field: string }>;
      error?: { data?: { issues?: Array<{ field: string }> } };
    };
    return (b.issues ?? b.error?.data?.issues ?? []).map((issue) => issue.field);
  }

  it('a NUL in campaign_name or campaign_text is a 400 on REST and tRPC, and burns no code', async () => {
    const before = await reservedCodes();
    for (const field of ['campaign_name', 'campaign_text'] as const) {
      const request = seedCreateRequest();
      request.metadata[field] = `Spring\u0000sale`;
      const rest = await bearerRequest(env.server, env.token, 'POST', '/campaigns/create', request);
      expect(rest.status).toBe(400);
      expect(fieldsOf(await json(rest))).toEqual([`metadata.${field}`]);
      const trpc = await env.marketer.trpc('campaigns.create', request);
      expect(trpc.status).toBe(400);
      expect(fieldsOf(await json(trpc))).toEqual([`metadata.${field}`]);
    }
    expect(await reservedCodes()).toBe(before);
  });

  it('a NUL in the list search or the login username is a 400', async () => {
    const search = await env.marketer.trpcQuery('campaigns.list', { search: 'spr\u0000ing' });
    expect(search.status).toBe(400);
    expect(fieldsOf(await json(search))).toEqual(['search']);
    const login = await new Browser(env.server).login('market\u0000er');
    expect(login.status).toBe(400);
    expect(fieldsOf(await json(login))).toEqual(['username']);
  });

  it('a campaign code with a NUL or a broken percent escape in the path is a 400, signed in or not', async () => {
    const nul = await bearerRequest(env.server, env.token, 'GET', '/campaigns/C00%00');
    expect(nul.status).toBe(400);
    expect(await json(nul)).toMatchObject({ code: 'REQUEST.INVALID', issues: [{ field: 'code' }] });
    const broken = await fetch(`${env.server.baseUrl}/campaigns/%E0%A4%A`);
    expect(broken.status).toBe(400);
    expect(await json(broken)).toMatchObject({ code: 'REQUEST.INVALID_URL' });
  });

  it('a 100,000-deep characteristic_json is a 400 naming the field, not a RangeError', async () => {
    const depth = 100_000;
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const request = seedCreateRequest({ campaign_type: 'RB3' });
    const body = JSON.stringify(request).replace('"{\\"tier\\":\\"gold\\"}"', deep);
    const before = await reservedCodes();
    const rest = await fetch(`${env.server.baseUrl}/campaigns/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.token}`, 'content-type': 'application/json' },
      body,
    });
    expect(rest.status).toBe(400);
    expect(fieldsOf(await json(rest))[0]).toMatch(/^metadata\.characteristic_json/);
    const trpc = await fetch(`${env.server.baseUrl}/trpc/campaigns.create`, {
      method: 'POST',
      headers: {
        cookie: env.marketer.cookie!,
        'content-type': 'application/json',
        origin: env.server.origin,
      },
      body,
    });
    expect(trpc.status).toBe(400);
    expect(fieldsOf(await json(trpc))[0]).toMatch(/^metadata\.characteristic_json/);
    expect(await reservedCodes()).toBe(before);
  });

  it('logs client errors at warn without a stack trace', async () => {
    const lines = env.server.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const errors = lines.filter((line) => (line.level as number) >= 50);
    expect(errors).toEqual([]);
    const refused = lines.filter((line) => line.level === 40 && /refused/.test(String(line.msg)));
    expect(refused.map((line) => line.domainCode ?? line.code)).toContain('REQUEST.INVALID');
    expect(env.server.logLines.join('\n')).not.toMatch(/"stack"/);
  });
});
