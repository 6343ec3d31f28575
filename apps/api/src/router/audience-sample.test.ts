import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drawSample, maskIin, readParquetTable } from '@campaigns/core';
import { generateDemoData, readRegistry, SEED_BLACKLISTS, seededRandom } from '@campaigns/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../services/campaign-content';
import { Browser, signedInBrowser } from '../testing/http-client';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';
import { signedInClient } from '../testing/trpc-client';

// campaigns.audienceSample: 20 random members of the saved final audience, IINs masked, with what each applied
// filter read about them, checked against the snapshots and a naive read of the dataset files.

const march = { date_start: '2031-03-01', date_end: '2031-03-31', out_date: '2031-03-02' };
const filters = {
  blacklist_tables: [...SEED_BLACKLISTS],
  devices: ['iOS', 'android'],
  push_streams: ['Платежи'],
  mau_only: true,
  products: ['Депозит', 'Кредитная карта'],
  contact_pressure: true,
};

/** Every dataset of the registry as plain Maps: IIN -> values held (a Set; empty for lists without values). */
async function naiveDatasets(dataDir: string): Promise<Map<string, Map<number, Set<string>>>> {
  const { registry } = await readRegistry(dataDir);
  const out = new Map<string, Map<number, Set<string>>>();
  for (const [name, entry] of Object.entries(registry)) {
    const columns = [entry.iin_column, ...(entry.value_column ? [entry.value_column] : [])];
    const table = readParquetTable(new Uint8Array(await readFile(path.join(dataDir, entry.file))), columns);
    const iins = table.getChild(entry.iin_column)!;
    const values = entry.value_column ? table.getChild(entry.value_column) : null;
    const map = new Map<number, Set<string>>();
    for (let i = 0; i < table.numRows; i++) {
      const iin = Number(iins.get(i));
      const set = map.get(iin) ?? new Set<string>();
      if (values) set.add(String(values.get(i)));
      map.set(iin, set);
    }
    out.set(name, map);
  }
  return out;
}

describe('campaigns.audienceSample', () => {
  let server: TestServer;
  let dataDir: string;
  let clients: number[];
  let code: string;
  let small: string;
  let otherCode: string;
  const as = (username: string) => signedInClient(server, username);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'audience-sample-'));
    await generateDemoData({ dataDir, clients: 4000 });
    const table = readParquetTable(new Uint8Array(await readFile(path.join(dataDir, 'clients.parquet'))), [
      'iin',
    ]);
    clients = Array.from({ length: 3000 }, (_, i) => Number(table.getChild('iin')!.get(i)));
    const text = (iins: number[]) => iins.map((i) => String(i).padStart(12, '0'));
    // Approval off: a submitted create deploys at once (that fills the off-limit table for contact pressure).
    server = await startTestServer({ dataDir, approvalRequired: false });
    const marketer = await as('marketer');
    const request = seedCreateRequest({ user_iins: text(clients) });
    const created = await marketer.campaigns.create.mutate({
      ...request,
      metadata: { ...request.metadata, ...march },
      filter_config: filters,
      control_group: { share: 0.25, strata: 'sex_age' },
    });
    code = created.campaign.campaign_code;
    const few = await marketer.campaigns.create.mutate({
      ...request,
      user_iins: text(clients.slice(0, 7)),
      filter_config: { blacklist_tables: [...SEED_BLACKLISTS] },
    });
    small = few.campaign.campaign_code;
    // Saved after the first: another campaign in March reserves half of the same clients, so contact pressure
    // now has something to say about some members of the first one.
    const other = await (await as('marketer2')).campaigns.create.mutate({
      ...request,
      user_iins: text(clients.filter((_, i) => i % 2 === 0)),
      metadata: { ...request.metadata, ...march },
      filter_config: { blacklist_tables: [...SEED_BLACKLISTS] },
      submit: true,
    });
    otherCode = other.campaign.campaign_code;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function finalAudience(campaignCode: string) {
    const campaign = await server.app.campaigns.get(campaignCode);
    const [target, control] = await Promise.all([
      loadSnapshot(server.app.store, campaign.id, 'target'),
      loadSnapshot(server.app.store, campaign.id, 'control'),
    ]);
    return { target: [...target], control: [...control] };
  }

  it('draws 20 members of the final audience, each fact as the dataset files and the off-limit table say', async () => {
    const approver = await as('approver');
    const seed = 12_345;
    const sample = await approver.campaigns.audienceSample.mutate({ code, seed });
    const { target, control } = await finalAudience(code);
    const all = [...target, ...control];
    expect(sample.final_count).toBe(all.length);
    expect(all.length).toBeGreaterThan(20);
    // The seeded draw names exactly which members: their masks, in order, and their groups.
    const drawn = drawSample(all.length, 20, seededRandom(seed)).map((p) => all[p]!);
    expect(sample.members.map((m) => m.iin_masked)).toEqual(drawn.map((iin) => maskIin(iin)));
    expect(sample.members.map((m) => m.group)).toEqual(
      drawn.map((iin) => (control.includes(iin) ? 'control' : 'target')),
    );

    const naive = await naiveDatasets(dataDir);
    const held = (kind: string, iin: number) => [...(naive.get(kind)?.get(iin) ?? [])].sort();
    const { registry } = await readRegistry(dataDir);
    const nameOf = (kind: string) => Object.keys(registry).find((n) => registry[n]!.kind === kind)!;
    const reserved = new Set((await finalAudience(otherCode)).target);
    expect(sample.members.some((m) => m.reserved_elsewhere)).toBe(true);
    for (const [k, member] of sample.members.entries()) {
      const iin = drawn[k]!;
      expect(member.blacklists).toEqual(SEED_BLACKLISTS.filter((b) => naive.get(b)?.has(iin)));
      expect(member.blacklists).toEqual([]);
      expect([...member.devices!].sort()).toEqual(held(nameOf('device'), iin));
      expect([...member.push_streams!].sort()).toEqual(held(nameOf('push'), iin));
      expect(member.mau).toBe(naive.get(nameOf('mau'))!.has(iin));
      expect([...member.products!].sort()).toEqual(held(nameOf('product'), iin));
      expect(member.reserved_elsewhere).toBe(reserved.has(iin));
      // The last contact: the other campaign's reservation, or none (this one is a draft: never deployed).
      expect(member.last_contact).toEqual(
        reserved.has(iin)
          ? { campaign_code: otherCode, date_start: march.date_start, date_end: march.date_end }
          : null,
      );
      // What the filters asked for, the member has.
      expect(member.devices!.some((d) => filters.devices.includes(d))).toBe(true);
      expect(member.push_streams).toContain('Платежи');
      expect(member.mau).toBe(true);
      expect(member.products!.some((p) => filters.products.includes(p))).toBe(true);
    }
    expect(sample.contact_pressure).toEqual({ date_start: march.date_start, date_end: march.date_end });
    expect(sample.datasets.devices).toEqual({ name: nameOf('device'), status: 'ok' });
  });

  it('never shows a full IIN anywhere in the answer, with or without its leading zeros', async () => {
    const browser = await signedInBrowser(server, 'admin');
    const response = await browser.trpc('campaigns.audienceSample', { code });
    expect(response.status).toBe(200);
    const text = await response.text();
    const { target, control } = await finalAudience(code);
    for (const iin of [...target, ...control]) expect(text).not.toContain(String(iin).padStart(12, '0'));
    // Beside campaign codes (whole values "C" + 9 digits: this one, and the last contact's), digits appear in
    // counts and dates only: no run long enough to be an IIN whose leading zeros were dropped (9 to 12 digits).
    expect(text.replace(/"C\d{9}"/g, '""')).not.toMatch(/\d{9,}/);
    expect(
      JSON.parse(text).result.data.members.every((m: { iin_masked: string }) =>
        /^\d{2}•{8}\d{2}$/.test(m.iin_masked),
      ),
    ).toBe(true);
  });

  it('is a fresh draw each time unless seeded', async () => {
    const approver = await as('approver');
    const masks = async () =>
      (await approver.campaigns.audienceSample.mutate({ code })).members.map((m) => m.iin_masked);
    const first = await masks();
    const second = await masks();
    // Two equal draws of 20 from well over a thousand members: about one chance in 10^40.
    expect(second).not.toEqual(first);
    const seeded = async () => (await approver.campaigns.audienceSample.mutate({ code, seed: 7 })).members;
    expect(await seeded()).toEqual(await seeded());
  });

  it('shows every member when the audience has fewer than 20', async () => {
    const author = await as('marketer');
    const sample = await author.campaigns.audienceSample.mutate({ code: small });
    const { target, control } = await finalAudience(small);
    expect(sample.final_count).toBe(target.length + control.length);
    expect(sample.members).toHaveLength(sample.final_count);
    expect(sample.members.map((m) => m.iin_masked).sort()).toEqual(
      [...target, ...control].map((iin) => maskIin(iin)).sort(),
    );
    // No filter beyond the blacklists: no device, stream, activity or product facts, no contact pressure.
    expect(sample.members.every((m) => m.devices === undefined && m.mau === undefined)).toBe(true);
    expect(sample.contact_pressure).toBeNull();
  });

  it('is refused to another marketer, to API tokens and without a session; every draw is audited', async () => {
    const other = await signedInBrowser(server, 'marketer2');
    expect((await other.trpc('campaigns.audienceSample', { code })).status).toBe(403);
    expect((await new Browser(server).trpc('campaigns.audienceSample', { code })).status).toBe(401);
    const { token } = await server.app.auth.createApiToken({
      userId: server.users.marketer!.id,
      name: 'sample',
      scopes: ['read', 'write'],
      actorId: null,
    });
    const byToken = await fetch(`${server.baseUrl}/trpc/campaigns.audienceSample`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        origin: server.origin,
      },
      body: JSON.stringify({ code }),
    });
    expect(byToken.status).toBe(403);
    const admin = await as('admin');
    const entries = (await admin.audit.list.query({ entity_id: code })).entries.filter(
      (e) => e.action === 'campaign.audience_sampled',
    );
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries[0]).toMatchObject({ details: { members: 20 } });
  });
});
