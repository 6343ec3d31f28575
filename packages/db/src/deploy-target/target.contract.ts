// The deploy target port's contract, written once and run on every adapter (the PostgreSQL twin always, Oracle when
// configured). Campaign codes come from a high random range and are deleted afterwards, so the suite can run
// against a shared database.
import { seedExampleMetadata } from '@campaigns/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCampaign } from './deploy';
import type { DeployTarget, TargetMetadata } from './deploy-target';
import { isDeployTargetError } from './deploy-target-error';
import {
  CAMPAIGN_USERS_TABLE,
  CONTROL_USERS_TABLE,
  OFF_LIMIT_USERS_TABLE,
  RB1_METADATA_TABLE,
  RB3_METADATA_TABLE,
  TARGET_USERS_TABLE,
  targetTables,
} from './tables';

export const sampleMetadata: TargetMetadata = {
  ...seedExampleMetadata,
  campaign_text: 'Весенняя коллекция уже здесь!',
  camp_cnt: 50000,
};

/** IINs including ones that start with 0 (people born 2000-2009), kept as numbers. */
export const sampleIins = (n: number, offset = 0) =>
  Float64Array.from({ length: n }, (_, i) => 12_345_678_901 + (offset + i) * 7919);

/** Retries at once: the fault tests count attempts, not wait. */
export const noWait = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 };

/** The RB1 deploy both adapters' fault tests break in their own ways. */
export const faultTestRequest = (targetSize: number) => ({
  campaignCode: 'C000012348',
  kind: 'RB1' as const,
  metadata: sampleMetadata,
  target: sampleIins(targetSize),
});

export interface TargetContractOptions {
  /** Pure numbers to start codes from; a random base keeps parallel runs apart. */
  codeBase?: number;
}

export function describeTargetContract(
  adapter: string,
  open: () => Promise<DeployTarget>,
  options: TargetContractOptions = {},
): void {
  describe(`deploy target contract on ${adapter}`, () => {
    let target: DeployTarget;
    let next = options.codeBase ?? 990_000_000 + Math.floor(Math.random() * 9_000_000);
    const used: string[] = [];
    let nextXls = 9_000 + Math.floor(Math.random() * 900);
    const newXls = () => `KKB_${String(nextXls++ % 10_000).padStart(4, '0')}`;
    const newCode = () => {
      const code = `C${String(next++).padStart(9, '0')}`;
      used.push(code);
      return code;
    };

    beforeAll(async () => {
      target = await open();
    });
    afterAll(async () => {
      for (const code of used) await target.deleteCampaign(code);
      await target.close();
    });

    it('writes and reads back RB1 and RB3 metadata, Cyrillic and Kazakh texts included', async () => {
      const rb1 = newCode();
      const rb3 = newCode();
      await target.writeMetadata({ campaignCode: rb1, kind: 'RB1', metadata: sampleMetadata });
      await target.writeMetadata({
        campaignCode: rb3,
        kind: 'RB3',
        xlsOwId: newXls(),
        metadata: { ...sampleMetadata, bonus: '500 бонусов', characteristic_json: '{"cashback":5}' },
      });
      expect(await target.getCampaign(rb1)).toEqual({
        campaignCode: rb1,
        kind: 'RB1',
        xlsOwId: null,
        metadata: sampleMetadata,
      });
      const got = await target.getCampaign(rb3);
      expect(got?.kind).toBe('RB3');
      expect(got?.metadata.bonus).toBe('500 бонусов');
      expect(got?.metadata.characteristic_json).toBe('{"cashback":5}');
      expect(await target.countRows(RB1_METADATA_TABLE, rb1)).toBe(1);
      expect(await target.getCampaign(newCode())).toBeNull();
    });

    it('reports the largest code of the exact shape over both metadata tables', async () => {
      const a = newCode();
      const b = newCode();
      await target.writeMetadata({ campaignCode: a, kind: 'RB1', metadata: sampleMetadata });
      const xls = newXls();
      await target.writeMetadata({ campaignCode: b, kind: 'RB3', xlsOwId: xls, metadata: sampleMetadata });
      // A legacy code of another shape must not count (the seed's LIKE 'C0000%' bug in reverse).
      const odd = `C9${'9'.repeat(10)}`;
      used.push(odd);
      await target.writeMetadata({ campaignCode: odd, kind: 'RB1', metadata: sampleMetadata });
      const largest = await target.largestCodes();
      expect(largest.campaignCode! >= b).toBe(true);
      expect(largest.campaignCode).toMatch(/^C[0-9]{9}$/);
      expect(largest.xlsOwId! >= xls).toBe(true);
    });

    it('writes user rows whole, zero-padded, and refuses a duplicate batch without writing any of it', async () => {
      const code = newCode();
      const iins = sampleIins(2_500);
      await target.writeUsers(TARGET_USERS_TABLE, { campaignCode: code, iins });
      expect(await target.countRows(TARGET_USERS_TABLE, code)).toBe(2_500);

      const again = await target
        .writeUsers(TARGET_USERS_TABLE, { campaignCode: code, iins: sampleIins(10, 2_495) })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(isDeployTargetError(again)).toBe(true);
      expect((again as Error).message).toMatch(/unique constraint/i);
      expect(await target.countRows(TARGET_USERS_TABLE, code)).toBe(2_500);

      const withDuplicate = Float64Array.from([...sampleIins(5), 12_345_678_901]);
      await expect(
        target.writeUsers(CONTROL_USERS_TABLE, { campaignCode: code, iins: withDuplicate }),
      ).rejects.toThrow();
      expect(await target.countRows(CONTROL_USERS_TABLE, code)).toBe(0);
    });

    it('finds off-limit users of overlapping campaigns only', async () => {
      const march = newCode();
      const may = newCode();
      await target.writeUsers(OFF_LIMIT_USERS_TABLE, {
        campaignCode: march,
        iins: [12_345_678_901, 900_101_300_007],
        dateStart: '2024-03-01',
        dateEnd: '2024-03-31',
      });
      await target.writeUsers(OFF_LIMIT_USERS_TABLE, {
        campaignCode: may,
        iins: [900_101_300_811],
        dateStart: '2024-05-01',
        dateEnd: '2024-05-31',
      });
      const overlapping = await target.offLimitIins({ dateStart: '2024-03-20', dateEnd: '2024-04-10' });
      expect([...overlapping]).toEqual(expect.arrayContaining([12_345_678_901, 900_101_300_007]));
      expect([...overlapping]).not.toContain(900_101_300_811);
      const excluded = await target.offLimitIins({
        dateStart: '2024-03-20',
        dateEnd: '2024-04-10',
        excludeCampaignCode: march,
      });
      expect([...excluded]).not.toContain(900_101_300_007);
    });

    it('gives each IIN its latest reservation over every campaign, open-ended ones latest', async () => {
      const [march, may, open] = [newCode(), newCode(), newCode()];
      // IINs no other case of this suite reserves (it shares one target database).
      const [a, b, c, never] = [770_707_000_011, 770_707_000_022, 770_707_000_033, 770_707_000_044];
      const reserve = (campaignCode: string, iins: number[], dateStart: string, dateEnd: string | null) =>
        target.writeUsers(OFF_LIMIT_USERS_TABLE, { campaignCode, iins, dateStart, dateEnd });
      await reserve(march, [a, b, c], '2024-03-01', '2024-03-31');
      await reserve(may, [b], '2024-05-01', '2024-05-31');
      await reserve(open, [c], '2024-01-01', null);
      const contacts = await target.lastContacts([a, b, c, never, a]);
      const byIin = new Map(contacts.map((x) => [x.iin, x]));
      expect(contacts).toHaveLength(3);
      expect(byIin.get(a)).toEqual({
        iin: a,
        campaignCode: march,
        dateStart: '2024-03-01',
        dateEnd: '2024-03-31',
      });
      expect(byIin.get(b)).toMatchObject({ campaignCode: may, dateEnd: '2024-05-31' });
      expect(byIin.get(c)).toEqual({ iin: c, campaignCode: open, dateStart: '2024-01-01', dateEnd: null });
      // Another campaign's view: its own reservation does not count as a contact before it.
      expect(await target.lastContacts([b, c], { excludeCampaignCode: may })).toEqual(
        expect.arrayContaining([
          { iin: b, campaignCode: march, dateStart: '2024-03-01', dateEnd: '2024-03-31' },
          expect.objectContaining({ iin: c, campaignCode: open }),
        ]),
      );
      expect(await target.lastContacts([])).toEqual([]);
      await expect(
        target.lastContacts(Array.from({ length: 21 }, (_, i) => 770_707_100_000 + i)),
      ).rejects.toThrow(/at most 20/);
    });

    it('deploys a campaign to every table with the seed’s result, and a repeat duplicates nothing', async () => {
      const code = newCode();
      const request = {
        campaignCode: code,
        kind: 'RB1' as const,
        metadata: sampleMetadata,
        target: sampleIins(300),
        control: sampleIins(30, 1_000),
      };
      const progress: string[] = [];
      const result = await deployCampaign(target, request, {
        onTable: (outcome, done, total) =>
          progress.push(`${done}/${total} ${outcome.table} ${outcome.status}`),
      });
      expect(progress).toEqual([
        `1/5 ${RB1_METADATA_TABLE} written`,
        `2/5 ${TARGET_USERS_TABLE} written`,
        `3/5 ${CONTROL_USERS_TABLE} written`,
        `4/5 ${CAMPAIGN_USERS_TABLE} written`,
        `5/5 ${OFF_LIMIT_USERS_TABLE} written`,
      ]);
      expect(result).toMatchObject({
        campaign_code: code,
        tables_updated: [
          RB1_METADATA_TABLE,
          TARGET_USERS_TABLE,
          CONTROL_USERS_TABLE,
          CAMPAIGN_USERS_TABLE,
          OFF_LIMIT_USERS_TABLE,
        ],
        total_users: 300,
        errors: [],
        success: true,
      });
      expect(result.tables.map((t) => t.rows)).toEqual([1, 300, 30, 300, 300]);

      const repeat = await deployCampaign(target, request);
      expect(repeat.success).toBe(true);
      expect(repeat.tables_updated).toEqual([]);
      expect(repeat.tables.map((t) => t.status)).toEqual(Array(5).fill('already_present'));
      expect(await target.countRows(CAMPAIGN_USERS_TABLE, code)).toBe(300);
      expect(await target.countRows(CONTROL_USERS_TABLE, code)).toBe(30);
    });

    it('honours deploy_options and leaves switched-off tables alone', async () => {
      const code = newCode();
      const result = await deployCampaign(target, {
        campaignCode: code,
        kind: 'RB3',
        xlsOwId: newXls(),
        metadata: sampleMetadata,
        target: sampleIins(20),
        options: { deploy_users: false, deploy_offlimit: false },
      });
      expect(result.tables_updated).toEqual([RB3_METADATA_TABLE, TARGET_USERS_TABLE]);
      expect(await target.countRows(CAMPAIGN_USERS_TABLE, code)).toBe(0);
      expect(await target.countRows(OFF_LIMIT_USERS_TABLE, code)).toBe(0);
    });

    it('deletes a campaign from every table and nothing else', async () => {
      const code = newCode();
      const other = newCode();
      for (const c of [code, other]) {
        await deployCampaign(target, {
          campaignCode: c,
          kind: 'RB1',
          metadata: sampleMetadata,
          target: sampleIins(50),
          control: sampleIins(5, 500),
        });
      }
      const deleted = await target.deleteCampaign(code);
      expect(deleted).toEqual({
        [RB1_METADATA_TABLE]: 1,
        [RB3_METADATA_TABLE]: 0,
        [TARGET_USERS_TABLE]: 50,
        [CONTROL_USERS_TABLE]: 5,
        [CAMPAIGN_USERS_TABLE]: 50,
        [OFF_LIMIT_USERS_TABLE]: 50,
      });
      for (const table of targetTables) expect(await target.countRows(table, code)).toBe(0);
      expect(await target.countRows(CAMPAIGN_USERS_TABLE, other)).toBe(50);
    });

    it('lists deployed campaigns newest code first, by type, with counts per type', async () => {
      const before = await target.listCampaigns({ limit: 1 });
      const a = newCode();
      const b = newCode();
      await target.writeMetadata({ campaignCode: a, kind: 'RB1', metadata: sampleMetadata });
      const xls = newXls();
      await target.writeMetadata({ campaignCode: b, kind: 'RB3', xlsOwId: xls, metadata: sampleMetadata });
      const page = await target.listCampaigns({ limit: 500 });
      expect(page.total).toBe(before.total + 2);
      expect(page.rb1Count + page.rb3Count).toBe(page.total);
      const codes = page.campaigns.map((c) => c.campaignCode);
      expect(codes.indexOf(b)).toBeLessThan(codes.indexOf(a));
      const rb3 = await target.listCampaigns({ kind: 'RB3', limit: 500 });
      expect(rb3.campaigns.every((c) => c.kind === 'RB3')).toBe(true);
      expect(rb3.campaigns.find((c) => c.campaignCode === b)?.xlsOwId).toBe(xls);
      expect((await target.listCampaigns({ limit: 1, offset: 1 })).campaigns).toHaveLength(1);
    });
  });
}
