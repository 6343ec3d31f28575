// Code allocation under concurrency: 50 simultaneous RB1 and 50 RB3 reservations give 50 distinct codes each,
// on PostgreSQL shared by two store instances, like two API servers.
import { isDomainError } from '@campaigns/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../server/test-databases';
import { createStore, type Store } from '../store/create-store';
import { allocateCampaignCodes } from './code-allocation';
import { PostgresTarget } from './postgres/postgres-target';
import { sampleMetadata } from './target.contract';

interface Setup {
  stores: Store[];
  target: PostgresTarget;
  close(): Promise<void>;
}

function describeAllocation(driver: string, open: () => Promise<Setup>): void {
  describe(`code allocation on ${driver}`, () => {
    let setup: Setup;
    beforeAll(async () => {
      setup = await open();
      // Codes already in the bank's tables, including shapes that must not count.
      await setup.target.writeMetadata({ campaignCode: 'C000000120', kind: 'RB1', metadata: sampleMetadata });
      await setup.target.writeMetadata({
        campaignCode: 'C99999999999',
        kind: 'RB1',
        metadata: sampleMetadata,
      });
      await setup.target.writeMetadata({
        campaignCode: 'C000000007',
        kind: 'RB3',
        xlsOwId: 'KKB_0041',
        metadata: sampleMetadata,
      });
    });
    afterAll(async () => setup.close());

    const allocate = (kind: 'RB1' | 'RB3', n: number) =>
      Promise.all(
        Array.from({ length: n }, async (_, i) =>
          allocateCampaignCodes(
            await setup.target.largestCodes(),
            setup.stores[i % setup.stores.length]!.codeReservations,
            kind,
          ),
        ),
      );

    it('gives 50 simultaneous RB1 and 50 RB3 reservations distinct, consecutive codes', async () => {
      const [rb1, rb3] = await Promise.all([allocate('RB1', 50), allocate('RB3', 50)]);
      const codes = [...rb1, ...rb3].map((c) => c.campaign_code);
      expect(new Set(codes).size).toBe(100);
      // RB1 and RB3 share one campaign-code sequence, continuing after the bank's largest C000000120.
      expect(codes.sort()).toEqual(
        Array.from({ length: 100 }, (_, i) => `C${String(121 + i).padStart(9, '0')}`),
      );
      expect(rb1.every((c) => c.xls_ow_id === null)).toBe(true);
      const xls = rb3.map((c) => c.xls_ow_id!);
      expect(xls.sort()).toEqual(
        Array.from({ length: 50 }, (_, i) => `KKB_${String(42 + i).padStart(4, '0')}`),
      );
    });

    it('stops with a typed error when the XLS_OW_ID space is exhausted, never a longer id', async () => {
      const reservations = setup.stores[0]!.codeReservations;
      expect(await reservations.tryReserve('xls_ow_id', 'KKB_9999')).toBe(true);
      const error = await allocateCampaignCodes(await setup.target.largestCodes(), reservations, 'RB3').catch(
        (e: unknown) => e,
      );
      expect(isDomainError(error) && error.code).toBe('CAMPAIGN.XLS_ID_EXHAUSTED');
    });
  });
}

describeAllocation('PostgreSQL (two store instances, the twin in the same database)', async () => {
  const database = await createTempDatabase();
  const first = await createStore({ databaseUrl: database.url });
  const second = await createStore({ databaseUrl: database.url });
  const target = await PostgresTarget.open(database.url);
  return {
    stores: [first, second],
    target,
    close: async () => {
      await first.close();
      await second.close();
      await target.close();
      await database.drop();
    },
  };
});
