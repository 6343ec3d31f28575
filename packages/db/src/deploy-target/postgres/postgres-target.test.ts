import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../server/test-databases';
import { openDeployTarget } from '../open-deploy-target';
import { TARGET_USERS_TABLE } from '../tables';
import { describeTargetContract, sampleIins, sampleMetadata } from '../target.contract';
import { PostgresTarget } from './postgres-target';

let database: TempDatabase;
beforeAll(async () => {
  database = await createTempDatabase({ migrated: false });
});
afterAll(async () => database.drop());

describeTargetContract('the PostgreSQL twin', () => PostgresTarget.open(database.url));

it('keeps deployed campaigns across reconnects, and a second instance sees the same rows', async () => {
  const first = await openDeployTarget({ kind: 'postgres', databaseUrl: database.url });
  const second = await openDeployTarget({ kind: 'postgres', databaseUrl: database.url });
  await first.writeMetadata({ campaignCode: 'C000000001', kind: 'RB1', metadata: sampleMetadata });
  await first.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000001', iins: sampleIins(10) });
  await first.close();
  expect((await second.getCampaign('C000000001'))?.metadata).toEqual(sampleMetadata);
  expect(await second.countRows(TARGET_USERS_TABLE, 'C000000001')).toBe(10);
  await second.close();
});

it('writes a big table in one COPY that lands whole or not at all, answering timers meanwhile', async () => {
  const target = await PostgresTarget.open(database.url);
  try {
    const iins = sampleIins(300_000);
    // A row far into the list clashes with one already there: everything before it must roll back.
    await target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000002', iins: [iins[290_000]!] });
    await expect(target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000002', iins })).rejects.toThrow(
      /unique constraint/,
    );
    expect(await target.countRows(TARGET_USERS_TABLE, 'C000000002')).toBe(1);

    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    await target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000003', iins });
    clearInterval(ticker);
    expect(await target.countRows(TARGET_USERS_TABLE, 'C000000003')).toBe(300_000);
    // Timers ran while the server loaded the rows (the bytes are made piece by piece).
    expect(ticks).toBeGreaterThan(1);
  } finally {
    await target.close();
  }
});
