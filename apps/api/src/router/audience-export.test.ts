import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer, testPassword } from '../testing/test-server';

describe('campaigns.exportAudience: the final IINs as CSV, audited, for those who may see them', () => {
  let server: TestServer;
  const iins = validIins(40);
  const blacklisted = iins.slice(0, 4);
  let code: string;
  const as = (username: string) => signedInBrowser(server, username);

  beforeAll(async () => {
    server = await startTestServer({ blacklisted });
    const marketer = await as('marketer');
    const request = seedCreateRequest({ user_iins: iins });
    const created = await json(
      await marketer.trpc('campaigns.create', {
        ...request,
        // A name a spreadsheet would run as a formula, had it been written raw into a cell.
        metadata: { ...request.metadata, campaign_name: '=HYPERLINK("http://x","click")' },
        control_group: { share: 0.25, strata: 'sex_age' },
      }),
    );
    code = created.result.data.campaign.campaign_code;
  });
  afterAll(async () => server.close());

  it('gives every final IIN once, target and control marked, blacklisted ones left out', async () => {
    const approver = await as('approver');
    const response = await approver.trpc('campaigns.exportAudience', { code });
    expect(response.status, await response.clone().text()).toBe(200);
    const { csv, file_name, rows } = (await json(response)).result.data;
    expect(file_name).toBe(`${code}-audience.csv`);
    const lines = (csv as string)
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('iin,group');
    const body = lines.slice(1).map((line) => line.split(','));
    expect(rows).toBe(36);
    expect(body.map(([iin]) => iin).sort()).toEqual(iins.filter((i) => !blacklisted.includes(i)).sort());
    const groups = body.map(([, group]) => group);
    expect(groups.filter((g) => g === 'control').length).toBe(9);
    expect(groups.filter((g) => g === 'target').length).toBe(27);
    // Every cell is a plain 12-digit IIN or a group: nothing a spreadsheet would evaluate.
    expect(
      body.every(([iin, group]) => /^\d{12}$/.test(iin ?? '') && /^(target|control)$/.test(group ?? '')),
    ).toBe(true);
  });

  it('writes who exported what to the audit log', async () => {
    const admin = await as('admin');
    await admin.trpc('campaigns.exportAudience', { code });
    const page = (await json(await admin.trpcQuery('audit.list', { entity_id: code }))).result.data;
    const exported = page.entries.filter(
      (e: { action: string }) => e.action === 'campaign.audience_exported',
    );
    expect(exported.length).toBeGreaterThanOrEqual(1);
    expect(exported[0]).toMatchObject({ actor: 'admin', details: { rows: 36, format: 'csv' } });
  });

  it('is refused to a marketer who is not the author (API tokens: the authorization matrix); the author may', async () => {
    await server.app.users.create({ username: 'other', role: 'marketer', password: testPassword }, null);
    const other = await as('other');
    expect((await other.trpc('campaigns.exportAudience', { code })).status).toBe(403);
    const author = await as('marketer');
    expect((await author.trpc('campaigns.exportAudience', { code })).status).toBe(200);
  });
});
