import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { Browser, json, signedInBrowser } from '../testing/http-client';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';
import { startTestServer, testPassword } from '../testing/test-server';

const minutes = (n: number) => n * 60_000;

async function me(browser: Browser) {
  return (await json(await browser.trpcQuery('auth.me'))).result.data;
}

describe('sessions, CSRF, throttling and secrets', () => {
  const clock = new ManualClock(new Date('2026-03-01T08:00:00Z'));
  const env = useServerFixture({ clock });

  it('sets an HttpOnly SameSite=Lax cookie; Secure with the __Host- prefix outside demo mode', async () => {
    const browser = new Browser(env.server);
    const response = await browser.login('marketer');
    const cookie = response.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^session=[a-z2-7]{32};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    const { serializeSessionCookie } = await import('./cookies');
    expect(serializeSessionCookie('t', { demoMode: false })).toMatch(
      /^__Host-session=t; Path=\/; HttpOnly; SameSite=Lax; Secure/,
    );
  });

  it('ends a session after 30 idle minutes, and keeps an active one alive', async () => {
    const browser = await signedInBrowser(env.server, 'marketer');
    clock.advance(minutes(29));
    expect(await me(browser)).toMatchObject({ username: 'marketer' });
    clock.advance(minutes(29)); // active 29 minutes ago: still fine
    expect(await me(browser)).toMatchObject({ username: 'marketer' });
    clock.advance(minutes(30));
    expect(await me(browser)).toBeNull();
  });

  it('ends a session at its absolute lifetime of 12 hours however active', async () => {
    const browser = await signedInBrowser(env.server, 'marketer');
    for (let i = 0; i < 24; i++) {
      clock.advance(minutes(29));
      expect(await me(browser)).not.toBeNull();
    }
    clock.advance(minutes(29)); // 12 h 05 min after sign-in
    expect(await me(browser)).toBeNull();
  });

  it('logout ends the session on the env.server, not only the cookie', async () => {
    const browser = await signedInBrowser(env.server, 'marketer');
    const stolen = browser.cookie;
    await browser.trpc('auth.logout', {});
    expect(browser.cookie).toBeUndefined();
    const thief = new Browser(env.server);
    thief.cookie = stolen;
    expect(await me(thief)).toBeNull();
  });

  it('a password change ends every session of the user', async () => {
    const laptop = await signedInBrowser(env.server, 'marketer2');
    const phone = await signedInBrowser(env.server, 'marketer2');
    const changed = await laptop.trpc('auth.changePassword', {
      currentPassword: testPassword,
      newPassword: 'a brand new passphrase',
    });
    expect(changed.status).toBe(200);
    expect(await me(phone)).toBeNull();
    expect(await me(laptop)).toMatchObject({ username: 'marketer2' }); // the caller got a fresh session
    expect((await new Browser(env.server).login('marketer2', testPassword)).status).toBe(401);
  });

  it('a role change ends the sessions of that user', async () => {
    const admin = await signedInBrowser(env.server, 'admin');
    const victim = await signedInBrowser(env.server, 'approver2');
    const response = await admin.trpc('users.setRole', {
      userId: env.server.users.approver2!.id,
      role: 'marketer',
    });
    expect(response.status).toBe(200);
    expect(await me(victim)).toBeNull();
    await admin.trpc('users.setRole', { userId: env.server.users.approver2!.id, role: 'approver' });
  });

  it('refuses state changes with a form content type or a foreign Origin, and changes nothing on GET', async () => {
    const browser = await signedInBrowser(env.server, 'marketer');
    const body = JSON.stringify(seedCreateRequest());
    const asForm = await fetch(`${env.server.baseUrl}/campaigns/create`, {
      method: 'POST',
      headers: {
        cookie: browser.cookie ?? '',
        origin: env.server.origin,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body,
    });
    expect(asForm.status).toBe(403);
    expect((await json(asForm)).code).toBe('AUTH.CSRF');
    const foreign = await browser.request('POST', '/campaigns/create', seedCreateRequest(), {
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    const noOrigin = await fetch(`${env.server.baseUrl}/trpc/auth.logout`, {
      method: 'POST',
      headers: { cookie: browser.cookie ?? '', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noOrigin.status).toBe(403);
    // A mutation sent as GET (e.g. an <img> tag) does not run.
    const viaGet = await browser.request('GET', '/trpc/auth.logout');
    expect(viaGet.status).toBe(405);
    expect(await me(browser)).toMatchObject({ username: 'marketer' });
    const list = await json(await browser.request('GET', '/campaigns/list'));
    expect(list.total_count).toBe(0);
  });

  it('throttles sign-in per account, and per address across accounts', async () => {
    for (let i = 0; i < 5; i++)
      expect((await new Browser(env.server).login('approver', 'wrong')).status).toBe(401);
    const locked = await new Browser(env.server).login('approver'); // right password, still locked
    expect(locked.status).toBe(429);
    clock.advance(minutes(16));
    expect((await new Browser(env.server).login('approver')).status).toBe(200);
    // 20 failures from one address over many usernames lock the address.
    for (let i = 0; i < 20; i++) await new Browser(env.server).login(`nobody${i}`, 'wrong');
    expect((await new Browser(env.server).login('admin')).status).toBe(429);
    clock.advance(minutes(16));
    expect((await new Browser(env.server).login('admin')).status).toBe(200);
  });

  it('never puts a password, password hash, token or session id in a response or a log line', async () => {
    const admin = new Browser(env.server);
    const login = await admin.login('admin');
    const loginText = await login.text();
    const sessionToken = admin.cookie?.split('=')[1] ?? '';
    expect(sessionToken.length).toBeGreaterThanOrEqual(32);
    const users = await (await admin.trpcQuery('users.list')).text();
    const created = await json(
      await admin.trpc('tokens.create', {
        userId: env.server.users.marketer!.id,
        name: 'etl',
        scopes: ['read'],
      }),
    );
    const apiToken: string = created.result.data.token;
    const tokens = await (
      await admin.trpcQuery('tokens.listForUser', { userId: env.server.users.marketer!.id })
    ).text();
    await fetch(`${env.server.baseUrl}/campaigns/list`, { headers: { authorization: `Bearer ${apiToken}` } });
    await admin.trpc('users.create', {
      username: 'newbie',
      role: 'marketer',
      password: 'newbie secret phrase',
    });

    const { hashSecretToken } = await import('./secret-token');
    const secrets = [
      testPassword,
      'newbie secret phrase',
      sessionToken,
      hashSecretToken(sessionToken),
      hashSecretToken(apiToken),
      '$argon2id$',
    ];
    for (const text of [loginText, users, tokens, ...env.server.logLines]) {
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
    expect(env.server.logLines.length).toBeGreaterThan(10);
    // The API token is shown exactly once, at creation, and never logged.
    for (const line of env.server.logLines) expect(line).not.toContain(apiToken);
    expect(tokens).not.toContain(apiToken);
  });
});

describe('unexpected failures', () => {
  it('answer a generic message and log the error without the failed query parameters', async () => {
    const server = await startTestServer({
      wrapDeployer: (real) => ({
        ...real,
        largestCodes: async () => {
          throw new Error('Failed query: select max(code)\nparams: $argon2id$v=19$leaked-hash');
        },
      }),
    });
    try {
      const marketer = await signedInBrowser(server, 'marketer');
      const viaTrpc = await marketer.trpc('campaigns.create', { ...seedCreateRequest(), submit: true });
      const viaRest = await marketer.request('POST', '/campaigns/create', seedCreateRequest());
      expect(viaTrpc.status).toBe(500);
      expect(viaRest.status).toBe(500);
      const bodies = [await viaTrpc.text(), await viaRest.text()];
      for (const text of [...bodies, ...server.logLines]) expect(text).not.toContain('leaked-hash');
      expect(bodies[0]).toContain('Internal server error.');
      expect(server.logLines.some((line) => line.includes('Failed query: select max(code)'))).toBe(true);
    } finally {
      await server.close();
    }
  });
});
