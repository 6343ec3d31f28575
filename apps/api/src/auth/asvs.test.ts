import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoUsers } from '../demo-users';
import { apiTokenFor } from '../testing/api-token';
import { Browser, bearerRequest, eventually, json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';
import { startTestServer, type TestServer, testPassword } from '../testing/test-server';
import { maxPasswordLength } from './password-policy';

// Issue 13, "ASVS L2 gaps": passwords (item 6), headers, Origin and Host (item 8).

/** A raw request with headers fetch() will not send (Host). */
function rawGet(server: TestServer, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.baseUrl}${path}`, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ASVS L2: passwords, headers, Origin and Host', () => {
  let server: TestServer;
  let admin: Browser;

  beforeAll(async () => {
    server = await startTestServer({ env: { ALLOWED_ORIGINS: 'https://Campaigns.Example' } });
    admin = new Browser(server);
    expect((await admin.login('admin')).status).toBe(200);
  });
  afterAll(async () => server.close());

  // Each with the rule the refusal names, so the admin page can word it (length with its limit, or why guessable).
  const weakPasswords: Array<[string, Record<string, unknown>]> = [
    ['1234567890', { rule: 'too_short', limit: 12 }],
    ['aaaaaaaaaa', { rule: 'too_short', limit: 12 }],
    ['password12', { rule: 'too_short', limit: 12 }],
    [' '.repeat(10), { rule: 'too_short', limit: 12 }],
    [' '.repeat(12), { rule: 'weak_password', expected: 'spaces' }],
    ['password1234', { rule: 'weak_password', expected: expect.any(String) }],
    ['qwertyuiop12', { rule: 'weak_password', expected: expect.any(String) }],
    ['x'.repeat(maxPasswordLength + 1), { rule: 'too_long', limit: maxPasswordLength }],
  ];

  it('refuses short, common, breached-list, repetitive and over-long passwords, naming the field', async () => {
    const before = (await server.app.users.list()).length;
    for (const [i, [password, rule]] of weakPasswords.entries()) {
      const response = await admin.trpc('users.create', {
        username: `newuser${i}`,
        role: 'marketer',
        password,
      });
      expect(response.status, JSON.stringify(password)).toBe(400);
      const body = await json(response);
      expect(body.error.data.domainCode).toBe('USER.WEAK_PASSWORD');
      expect(body.error.data.issues).toEqual([{ field: 'password', message: expect.any(String), ...rule }]);
    }
    // The username itself is a guessable word.
    const own = await admin.trpc('users.create', {
      username: 'aigerim.k',
      role: 'marketer',
      password: 'aigerim.k2026!',
    });
    expect(own.status).toBe(400);
    expect((await server.app.users.list()).length).toBe(before);
  });

  it('accepts a long passphrase of any characters, up to 128', async () => {
    const passphrase = 'Көктемгі науқан: 7 жаңа өнім, сорок два 🌷';
    const created = await admin.trpc('users.create', {
      username: 'kazakh',
      role: 'marketer',
      password: passphrase,
    });
    expect(created.status).toBe(200);
    expect((await new Browser(server).login('kazakh', passphrase)).status).toBe(200);
    const longest = 'Lorem ipsum dolor sit amet '
      .repeat(5)
      .slice(0, maxPasswordLength - 3)
      .concat('ẞ9!');
    expect([...longest].length).toBe(maxPasswordLength);
    expect(
      (await admin.trpc('users.create', { username: 'longest', role: 'marketer', password: longest })).status,
    ).toBe(200);
  });

  it('a weak new password in a change is refused and the old one keeps working', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    const changed = await marketer.trpc('auth.changePassword', {
      currentPassword: testPassword,
      newPassword: 'password1234',
    });
    expect(changed.status).toBe(400);
    expect((await new Browser(server).login('marketer')).status).toBe(200);
  });

  it('a disabled account answers exactly as a wrong password does, even with the right one', async () => {
    const disabled = await admin.trpc('users.setDisabled', {
      userId: server.users.approver2!.id,
      disabled: true,
    });
    expect(disabled.status).toBe(200);
    const right = await new Browser(server).login('approver2');
    const wrong = await new Browser(server).login('marketer2', 'a wrong passphrase here');
    expect(right.status).toBe(401);
    expect((await json(right)).error.message).toBe((await json(wrong)).error.message);
  });

  it('API answers carry no-store, a deny-all CSP with frame-ancestors none, and no HSTS in demo mode', async () => {
    for (const response of [
      await admin.trpcQuery('auth.me'),
      await fetch(`${server.baseUrl}/campaigns/list`),
      await fetch(`${server.baseUrl}/healthz`),
    ]) {
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('a throttled sign-in (429) says when to retry, on tRPC as on REST', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) last = await new Browser(server).login('admin', 'not the password at all');
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('compares the Origin as scheme + host + port, with the allowed list normalized', async () => {
    const browser = await signedInBrowser(server, 'marketer');
    const port = new URL(server.baseUrl).port;
    const markRead = (origin: string) =>
      browser.request('POST', '/trpc/notifications.markRead', {}, { origin });
    expect((await markRead(server.origin)).status).not.toBe(403);
    expect((await markRead(`https://127.0.0.1:${port}`)).status).toBe(403); // scheme differs
    expect((await markRead(`http://127.0.0.1:${Number(port) + 1}`)).status).toBe(403); // port differs
    expect((await markRead('http://127.0.0.1')).status).toBe(403); // default port is not ours
    expect((await markRead('https://campaigns.example')).status).not.toBe(403); // allowed, any case
    expect((await markRead('https://campaigns.example:8443')).status).toBe(403);
    expect((await markRead('null')).status).toBe(403);
  });

  it('answers only for its own hosts (no DNS rebinding): IP addresses, loopback names, allowed origins', async () => {
    expect(await rawGet(server, '/healthz', { host: 'evil.example' })).toBe(421);
    expect(await rawGet(server, '/trpc/auth.me', { host: 'evil.example:3000' })).toBe(421);
    expect(await rawGet(server, '/healthz', { host: `localhost:${new URL(server.baseUrl).port}` })).toBe(200);
    expect(await rawGet(server, '/healthz', { host: 'campaigns.example' })).toBe(200);
    expect(await rawGet(server, '/healthz', { host: '10.1.2.3:3000' })).toBe(200);
  });
});

describe('outside demo mode', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_MODE: 'false' }, seedUsers: false });
  });
  afterAll(async () => server.close());

  it('sends HSTS on every answer', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{8}; includeSubDomains$/);
  });
});

describe('idempotency keys, as Stripe defines them', () => {
  const env = useServerFixture();

  const create = (key: string, body: unknown) =>
    bearerRequest(env.server, env.token, 'POST', '/campaigns/create', body, { 'idempotency-key': key });

  it('ten parallel creates with one key make one campaign and reserve one code', async () => {
    const before = (await env.server.app.codes.preview('RB1')).campaign_code;
    const body = seedCreateRequest({ user_iins: validIins(20) });
    const answers = await Promise.all(Array.from({ length: 10 }, () => create('ten-at-once', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    const codes = new Set(
      await Promise.all(answers.map(async (a) => (await json(a)).campaign_code as string)),
    );
    expect([...codes]).toEqual([before]);
    const next = (await env.server.app.codes.preview('RB1')).campaign_code;
    expect(Number(next.slice(1))).toBe(Number(before.slice(1)) + 1); // no code burnt by the nine repeats
    const listed = await env.server.app.store.campaigns.list({
      limit: 100,
      offset: 0,
      status: ['pending_approval'],
    });
    expect(listed.campaigns.filter((c) => c.code === before)).toHaveLength(1);
    expect(listed.total).toBe(1);
  });

  it('the same key with a different body is a 422, on REST and tRPC, and makes nothing', async () => {
    const first = await create('reused', seedCreateRequest({ user_iins: validIins(5) }));
    expect(first.status).toBe(200);
    const codeAfterFirst = (await env.server.app.codes.preview('RB1')).campaign_code;
    const other = await create('reused', seedCreateRequest({ user_iins: validIins(6) }));
    expect(other.status).toBe(422);
    expect(await json(other)).toMatchObject({ code: 'IDEMPOTENCY.KEY_REUSED' });
    const browser = await signedInBrowser(env.server, 'marketer');
    const viaTrpc = await browser.trpc('campaigns.create', {
      ...seedCreateRequest({ user_iins: validIins(7) }),
      idempotency_key: 'reused-trpc',
    });
    expect(viaTrpc.status).toBe(200);
    const changed = await browser.trpc('campaigns.create', {
      ...seedCreateRequest({ user_iins: validIins(8) }),
      idempotency_key: 'reused-trpc',
    });
    expect(changed.status).toBe(422);
    expect((await json(changed)).error.data.domainCode).toBe('IDEMPOTENCY.KEY_REUSED');
    const codeNow = (await env.server.app.codes.preview('RB1')).campaign_code;
    expect(Number(codeNow.slice(1))).toBe(Number(codeAfterFirst.slice(1)) + 1); // only the tRPC first one
  });

  it('a failed first request frees its key: the corrected repeat runs', async () => {
    const broken = seedCreateRequest({ user_iins: ['123'] });
    expect((await create('fix-me', broken)).status).toBe(400);
    expect((await create('fix-me', seedCreateRequest({ user_iins: validIins(4) }))).status).toBe(200);
  });
});

describe('privacy and integrity (issue 13, item 10)', () => {
  let server: TestServer;
  let marketer: Browser;
  let admin: Browser;
  let approver: Browser;
  // Blacklisted, so that a list of only these has an empty final audience.
  const blacklisted = validIins(3, 9000);

  beforeAll(async () => {
    server = await startTestServer({ blacklisted });
    marketer = new Browser(server);
    admin = new Browser(server);
    approver = new Browser(server);
    for (const [browser, name] of [
      [marketer, 'marketer'],
      [admin, 'admin'],
      [approver, 'approver'],
    ] as const)
      expect((await browser.login(name)).status).toBe(200);
  });
  afterAll(async () => server.close());

  async function uploadCsv(text: string): Promise<{ upload_id: string; accepted: number }> {
    const started = await marketer.trpc('audiences.upload', {
      filename: 'list.csv',
      content_base64: Buffer.from(text).toString('base64'),
    });
    const id = (await json(started)).result.data.job.id as string;
    const job = await eventually(async () => {
      const data = (await json(await marketer.trpcQuery('jobs.get', { id }))).result.data;
      return data.status === 'running' ? undefined : data;
    });
    return job.status === 'succeeded' ? job.result : { upload_id: '', accepted: -1 };
  }

  it('no IIN reaches a log line: uploads (good and refused), creates, edits, deploys', async () => {
    const iins = validIins(6, 7000);
    server.logLines.length = 0;
    // A file whose first row is IINs but whose other rows are not: its error names the columns.
    const refused = await uploadCsv(`${iins[0]},${iins[1]}\nabc,def\nghi,jkl\n`);
    expect(refused.accepted).toBe(-1);
    const good = await uploadCsv(`iin\n${iins.slice(2, 4).join('\n')}\n`);
    const created = await marketer.trpc(
      'campaigns.create',
      seedCreateRequest({ user_iins: iins.slice(0, 2) }),
    );
    const code = (await json(created)).result.data.campaign.campaign_code as string;
    await marketer.trpc('campaigns.update', { code, upload_id: good.upload_id });
    expect((await marketer.trpc('campaigns.submit', { code })).status).toBe(200);
    const contentHash = (await server.app.store.campaigns.findByCode(code))!.contentHash;
    const approved = await approver.trpc('approvals.approve', { code, content_hash: contentHash });
    expect(approved.status).toBe(200);
    const bad = await marketer.trpc('campaigns.create', seedCreateRequest({ user_iins: [iins[4]!, '123'] }));
    expect(bad.status).toBe(400);
    const logged = server.logLines.join('\n');
    expect(logged.length).toBeGreaterThan(0);
    for (const iin of iins) expect(logged).not.toContain(iin);
  });

  it('campaigns.update with only upload_id takes the new audience', async () => {
    const created = await marketer.trpc(
      'campaigns.create',
      seedCreateRequest({ user_iins: validIins(3, 7100) }),
    );
    const code = (await json(created)).result.data.campaign.campaign_code as string;
    const upload = await uploadCsv(`iin\n${validIins(5, 7200).join('\n')}\n`);
    const updated = await marketer.trpc('campaigns.update', { code, upload_id: upload.upload_id });
    expect(updated.status, JSON.stringify(await updated.clone().json())).toBe(200);
    const campaign = (await server.app.store.campaigns.findByCode(code))!;
    expect(campaign.filterStats).toMatchObject({ initial_count: 5 });
    expect((await server.app.store.snapshots.latest(campaign.id, 'input'))?.count).toBe(5);
  });

  it('an empty audience cannot be submitted, and the seed create reserves no code for one', async () => {
    const draft = await marketer.trpc('campaigns.create', seedCreateRequest({ user_iins: blacklisted }));
    expect(draft.status).toBe(200);
    const code = (await json(draft)).result.data.campaign.campaign_code as string;
    const submit = await marketer.trpc('campaigns.submit', { code });
    expect(submit.status).toBe(400);
    expect((await json(submit)).error.data.domainCode).toBe('AUDIENCE.EMPTY');
    expect((await server.app.store.campaigns.findByCode(code))?.status).toBe('draft');
    const before = await server.app.store.codeReservations.largest('campaign_code');
    const token = await apiTokenFor(server, 'marketer');
    for (const user_iins of [[], blacklisted]) {
      const rest = await bearerRequest(
        server,
        token,
        'POST',
        '/campaigns/create',
        seedCreateRequest({ user_iins }),
      );
      expect(rest.status).toBe(400);
      expect(await json(rest)).toMatchObject({ code: 'AUDIENCE.EMPTY' });
    }
    expect(await server.app.store.codeReservations.largest('campaign_code')).toBe(before);
  });

  it('campaign history shows where a change came from to admins only', async () => {
    const created = await marketer.trpc(
      'campaigns.create',
      seedCreateRequest({ user_iins: validIins(2, 7300) }),
    );
    const code = (await json(created)).result.data.campaign.campaign_code as string;
    const seen = async (browser: Browser) =>
      (await json(await browser.trpcQuery('campaigns.history', { code }))).result.data as Array<{
        details: Record<string, unknown>;
      }>;
    const byAdmin = await seen(admin);
    expect(byAdmin[0]?.details.address).toBe('127.0.0.1');
    for (const browser of [marketer, approver]) {
      const entries = await seen(browser);
      expect(entries.length).toBe(byAdmin.length);
      for (const entry of entries) expect(entry.details).not.toHaveProperty('address');
    }
  });

  it('the last admin can be neither demoted nor disabled; with a second admin both work', async () => {
    const adminId = server.users.admin!.id;
    const demote = await admin.trpc('users.setRole', { userId: adminId, role: 'marketer' });
    expect(demote.status).toBe(409);
    expect((await json(demote)).error.data.domainCode).toBe('USER.CONFLICT');
    await expect(
      server.app.users.setDisabled(adminId, true, server.users.marketer!.id),
    ).rejects.toMatchObject({
      code: 'USER.CONFLICT',
    });
    expect(await server.app.users.findByUsername('admin')).toMatchObject({ role: 'admin', disabled: false });
    const second = await server.app.users.create(
      { username: 'admin2', role: 'admin', password: testPassword },
      adminId,
    );
    expect((await admin.trpc('users.setDisabled', { userId: second.id, disabled: true })).status).toBe(200);
    // admin2 disabled: admin is the last enabled admin again.
    expect((await admin.trpc('users.setRole', { userId: adminId, role: 'marketer' })).status).toBe(409);
    expect((await admin.trpc('users.setDisabled', { userId: second.id, disabled: false })).status).toBe(200);
    expect((await admin.trpc('users.setRole', { userId: second.id, role: 'approver' })).status).toBe(200);
  });
});

describe('NODE_ENV=production', () => {
  it('never creates (or prints) demo users', async () => {
    const server = await startTestServer({ seedUsers: false, env: { NODE_ENV: 'production' } });
    try {
      expect(await seedDemoUsers(server.app)).toBeNull();
      expect(await server.app.users.list()).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('the last admin, two admins at once (issue 13, item 10)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ seedUsers: false });
  });
  afterAll(async () => server.close());

  /** Two enabled admins and nobody else who is one: each is about to take the other away. */
  async function twoAdmins(round: number) {
    const a = await server.app.users.create(
      { username: `admin-a${round}`, role: 'admin', password: testPassword },
      null,
    );
    const b = await server.app.users.create(
      { username: `admin-b${round}`, role: 'admin', password: testPassword },
      null,
    );
    return { a, b };
  }

  async function enabledAdmins() {
    return (await server.app.users.list()).filter((u) => u.role === 'admin' && !u.disabled);
  }

  /** Retires the round's remaining admin once a new pair exists, so each round starts with exactly two. */
  async function retire(userId: string, byId: string) {
    await server.app.users.setRole(userId, 'marketer', byId);
  }

  it('over HTTP: both demote each other at once; one admin remains, the other is refused saying why', async () => {
    const { a, b } = await twoAdmins(0);
    const asA = new Browser(server);
    const asB = new Browser(server);
    expect((await asA.login(a.username)).status).toBe(200);
    expect((await asB.login(b.username)).status).toBe(200);
    const answers = await Promise.all([
      asA.trpc('users.setRole', { userId: b.id, role: 'marketer' }),
      asB.trpc('users.setRole', { userId: a.id, role: 'marketer' }),
    ]);
    // One wins. The other is refused either inside the locked check (409, the last admin) or, when the
    // winner committed before the loser's request was authorized, as no longer an admin (403): both are right.
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const refused = await json(answers.find((r) => r.status !== 200)!);
    if (statuses[1] === 409) {
      expect(refused.error.data.domainCode).toBe('USER.CONFLICT');
      expect(refused.error.message).toMatch(/is the last admin: make another user admin before/);
    } else {
      expect(refused.error.data.code).toBe('FORBIDDEN');
    }
    expect(await enabledAdmins()).toHaveLength(1);
  });

  it('demote and disable, disable and disable, ten rounds at once: always exactly one enabled admin', async () => {
    let survivor = (await enabledAdmins())[0]!;
    const pairs = [
      ['role', 'role'],
      ['role', 'disable'],
      ['disable', 'role'],
      ['disable', 'disable'],
    ] as const;
    for (let round = 1; round <= 10; round++) {
      const { a, b } = await twoAdmins(round);
      await retire(survivor.id, a.id);
      expect(await enabledAdmins()).toHaveLength(2);
      const [first, second] = pairs[round % pairs.length]!;
      const takeAway = (how: 'role' | 'disable', target: string, actor: string) =>
        how === 'role'
          ? server.app.users.setRole(target, 'approver', actor)
          : server.app.users.setDisabled(target, true, actor);
      const outcomes = await Promise.allSettled([takeAway(first, b.id, a.id), takeAway(second, a.id, b.id)]);
      const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      expect(refusals, `round ${round}: ${first} / ${second}`).toHaveLength(1);
      expect(refusals[0]).toMatchObject({
        code: 'USER.CONFLICT',
        message: expect.stringMatching(/last admin/),
      });
      const left = await enabledAdmins();
      expect(left).toHaveLength(1);
      survivor = left[0]!;
    }
  });
});
