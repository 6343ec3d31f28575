import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readParquetTable } from '@campaigns/core';
import { DEMO_DEVICES, DEMO_PRODUCTS, DEMO_STREAMS, generateDemoData, SEED_BLACKLISTS } from '@campaigns/db';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';
import { signedInClient } from '../testing/trpc-client';

// The wizard's funnel (audiences.preview) must be what the saved campaign shows. It was not: with contact
// pressure ticked, the preview skipped the step ("no off-limit rows were given") and Review said 5,001 final,
// while the saved draft said "Contact pressure 4,449 -552".

async function clientIins(dataDir: string, count: number): Promise<string[]> {
  const table = readParquetTable(new Uint8Array(await readFile(path.join(dataDir, 'clients.parquet'))), [
    'iin',
  ]);
  const column = table.getChild('iin');
  return Array.from({ length: count }, (_, i) => String(column?.get(i)).padStart(12, '0'));
}

describe('the preview equals the saved campaign', () => {
  let server: TestServer;
  let dataDir: string;
  let iins: string[];
  const march = { date_start: '2031-03-01', date_end: '2031-03-31', out_date: '2031-03-02' };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'preview-saved-'));
    await generateDemoData({ dataDir, clients: 4000 });
    iins = await clientIins(dataDir, 4000);
    // Approval off: a submitted create deploys at once, which fills the off-limit table for contact pressure.
    server = await startTestServer({ dataDir, approvalRequired: false });
    const client = await signedInClient(server, 'marketer');
    const request = seedCreateRequest({ user_iins: iins.slice(0, 1500) });
    await client.campaigns.create.mutate({
      ...request,
      metadata: { ...request.metadata, ...march },
      filter_config: { blacklist_tables: [...SEED_BLACKLISTS] },
      submit: true,
    });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('for random filters, with and without contact pressure and a control group', async () => {
    const client = await signedInClient(server, 'marketer2');
    const request = seedCreateRequest();
    const scenario = fc.record({
      from: fc.integer({ min: 0, max: 2000 }),
      size: fc.integer({ min: 50, max: 2000 }),
      blacklists: fc.subarray([...SEED_BLACKLISTS]),
      devices: fc.subarray([...DEMO_DEVICES]),
      streams: fc.subarray([...DEMO_STREAMS], { maxLength: 2 }),
      products: fc.subarray([...DEMO_PRODUCTS], { maxLength: 2 }),
      mau: fc.boolean(),
      contactPressure: fc.boolean(),
      controlPercent: fc.constantFrom(0, 10, 25, 50),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const filter_config = {
          blacklist_tables: s.blacklists,
          blacklist_omissions: Object.fromEntries(
            SEED_BLACKLISTS.filter((b) => !s.blacklists.includes(b)).map((b) => [b, 'not for this offer']),
          ),
          devices: s.devices,
          push_streams: s.streams,
          products: s.products,
          mau_only: s.mau,
          contact_pressure: s.contactPressure,
        };
        const control_group =
          s.controlPercent > 0 ? { share: s.controlPercent / 100, strata: 'sex_age' as const } : undefined;
        const metadata = { ...request.metadata, ...march };
        const user_iins = iins.slice(s.from, s.from + s.size);
        const preview = await client.audiences.preview.mutate({
          user_iins,
          filter_config,
          metadata,
          ...(control_group ? { control_group } : {}),
        });
        const saved = await client.campaigns.create.mutate({
          ...request,
          metadata,
          user_iins,
          filter_config,
          ...(control_group ? { control_group } : {}),
        });
        expect(preview.filter_stats).toEqual(saved.campaign.filter_stats);
        expect(preview.warnings).toEqual(saved.campaign.warnings);
        expect(preview.skipped_blacklists).toEqual(saved.campaign.skipped_blacklists);
        expect(preview.omitted_blacklists).toEqual(saved.campaign.omitted_blacklists);
        if (s.contactPressure) {
          // The first campaign reserved 1,500 clients in March: an overlapping slice loses them.
          expect(preview.filter_stats).toHaveProperty('contact_pressure_removed');
        }
        // Editing the draft: previewing its own stored audience by code gives the saved funnel again.
        const again = await client.audiences.preview.mutate({
          code: saved.campaign.campaign_code,
          filter_config,
          metadata,
          ...(control_group ? { control_group } : {}),
        });
        expect(again.filter_stats).toEqual(saved.campaign.filter_stats);
      }),
      { numRuns: 12, seed: 20_261_201 },
    );
  }, 120_000);

  it('says contact pressure waits for the dates before the campaign has them', async () => {
    const client = await signedInClient(server, 'marketer2');
    const preview = await client.audiences.preview.mutate({
      user_iins: iins.slice(0, 100),
      filter_config: { blacklist_tables: [...SEED_BLACKLISTS], contact_pressure: true },
    });
    expect(preview.warnings).toEqual([
      expect.objectContaining({
        step: 'contact_pressure',
        message: 'contact pressure is counted once the campaign has its dates',
      }),
    ]);
  });
});
