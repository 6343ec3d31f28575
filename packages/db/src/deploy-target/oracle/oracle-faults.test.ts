// OracleTarget against a fake connection that injects the seed's example errors and others.
import oracledb from 'oracledb';
import { describe, expect, it } from 'vitest';
import { deployCampaign } from '../deploy';
import {
  CAMPAIGN_USERS_TABLE,
  CONTROL_USERS_TABLE,
  OFF_LIMIT_USERS_TABLE,
  RB1_METADATA_TABLE,
  TARGET_USERS_TABLE,
  targetTables,
} from '../tables';
import { faultTestRequest, noWait, sampleIins } from '../target.contract';
import { FakeOracle, type OracleFault, oracleError } from './fake-oracle';
import { toDeployTargetError } from './ora-errors';
import { oracleSql } from './oracle-sql';
import { OracleTarget } from './oracle-target';

const request = faultTestRequest(2_500);

const exactly = (sql: string) => new RegExp(`^${sql.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const duplicateOnUserList: OracleFault = {
  when: exactly(oracleSql.insertUsers[CAMPAIGN_USERS_TABLE]),
  on: 'executeMany',
  error: () => oracleError('ORA-00001', 'unique constraint (SPSS.FD_RB2_CAMPAIGNS_USERS_PK) violated'),
};
const timeoutOnOffLimit: OracleFault = {
  when: exactly(oracleSql.insertUsers[OFF_LIMIT_USERS_TABLE]),
  on: 'executeMany',
  error: () => oracleError('NJS-510', 'connection to host db.bank.kz port 1521 timed out'),
};

function setUp(faults: OracleFault[], batchSize = 1_000) {
  const fake = new FakeOracle(faults);
  return { fake, target: new OracleTarget(fake.pool(), { batchSize, retry: noWait }) };
}

const failures = (fake: FakeOracle, table: keyof typeof oracleSql.insertUsers) =>
  fake.log.filter((s) => s.failed && s.sql === oracleSql.insertUsers[table]).length;

describe('OracleTarget under faults', () => {
  it('answers the seed’s error response for ORA-00001 on fd_rb2 and a timeout on off_limit', async () => {
    const { fake, target } = setUp([duplicateOnUserList, timeoutOnOffLimit]);
    const result = await deployCampaign(target, request);
    expect({ ...result, tables: undefined }).toEqual({
      campaign_code: 'C000012348',
      tables_updated: [RB1_METADATA_TABLE, TARGET_USERS_TABLE],
      total_users: 2_500,
      errors: [
        'fd_rb2_campaigns_users: ORA-00001: unique constraint violated',
        'off_limit_campaigns_users: Connection timeout',
      ],
      success: false,
      tables: undefined,
    });
    // A timeout is retried (three tries in all); a constraint violation is not.
    expect(failures(fake, OFF_LIMIT_USERS_TABLE)).toBe(3);
    expect(failures(fake, CAMPAIGN_USERS_TABLE)).toBe(1);
    expect(fake.rows(CAMPAIGN_USERS_TABLE)).toHaveLength(0);
    expect(fake.rows(OFF_LIMIT_USERS_TABLE)).toHaveLength(0);
    expect(fake.rows(TARGET_USERS_TABLE)).toHaveLength(2_500);
    expect(fake.rollbacks).toBe(4);
    expect(fake.closedConnections).toBe(fake.openedConnections);
  });

  it('writes nothing when the metadata fails, and does not try the user tables', async () => {
    const { fake, target } = setUp([
      {
        when: exactly(oracleSql.insertMetadata[RB1_METADATA_TABLE]),
        error: () =>
          oracleError(
            'ORA-12899',
            'value too large for column "DSSB_OCDS"."MB01_CAMP_DICT"."CAMPAIGN_NAME" (actual: 300, maximum: 255)',
          ),
      },
    ]);
    const result = await deployCampaign(target, { ...request, control: sampleIins(10, 9_000) });
    expect(result.success).toBe(false);
    expect(result.tables_updated).toEqual([]);
    expect(result.errors).toEqual(['mb01_camp_dict: ORA-12899: value too large for column']);
    expect(fake.log.some((s) => s.on === 'executeMany')).toBe(false);
    for (const table of targetTables) expect(fake.rows(table)).toHaveLength(0);
  });

  it('a retry after a partial failure writes only what failed and duplicates nothing', async () => {
    const { fake, target } = setUp([
      { ...duplicateOnUserList, times: 1 },
      { ...timeoutOnOffLimit, times: 3 },
    ]);
    const withControl = { ...request, control: sampleIins(100, 9_000) };
    expect((await deployCampaign(target, withControl)).success).toBe(false);
    const sentBefore = fake.log.length;

    const retry = await deployCampaign(target, withControl);
    expect(retry.success).toBe(true);
    expect(retry.tables_updated).toEqual([CAMPAIGN_USERS_TABLE, OFF_LIMIT_USERS_TABLE]);
    const written = new Set(
      fake.log
        .slice(sentBefore)
        .filter((s) => s.on === 'executeMany')
        .map((s) => s.sql),
    );
    expect(written).toEqual(
      new Set([oracleSql.insertUsers[CAMPAIGN_USERS_TABLE], oracleSql.insertUsers[OFF_LIMIT_USERS_TABLE]]),
    );
    for (const table of [TARGET_USERS_TABLE, CAMPAIGN_USERS_TABLE, OFF_LIMIT_USERS_TABLE] as const) {
      const rows = fake.rows(table);
      expect(rows).toHaveLength(2_500);
      expect(new Set(rows.map((r) => r.IIN)).size).toBe(2_500);
    }
    expect(fake.rows(CONTROL_USERS_TABLE)).toHaveLength(100);
    expect(fake.rows(RB1_METADATA_TABLE)).toHaveLength(1);
  });

  it('sends users in executeMany chunks with declared bind types, all in one transaction', async () => {
    const { fake, target } = setUp([]);
    await target.writeUsers(OFF_LIMIT_USERS_TABLE, {
      campaignCode: 'C000000001',
      iins: sampleIins(2_500),
      dateStart: '2024-03-01',
      dateEnd: '2024-03-31',
    });
    const calls = fake.log.filter((s) => s.on === 'executeMany');
    expect(calls.map((c) => c.rows)).toEqual([1_000, 1_000, 500]);
    expect(calls[0]?.bindDefs).toEqual([
      { type: oracledb.DB_TYPE_VARCHAR, maxSize: 20 },
      { type: oracledb.DB_TYPE_VARCHAR, maxSize: 12 },
      { type: oracledb.DB_TYPE_VARCHAR, maxSize: 10 },
      { type: oracledb.DB_TYPE_VARCHAR, maxSize: 10 },
    ]);
    expect(fake.commits).toBe(1);
    // IINs zero-padded to 12 characters (this one belongs to someone born in 2001).
    expect(fake.rows(OFF_LIMIT_USERS_TABLE)[0]).toEqual({
      CAMPAIGNCODE: 'C000000001',
      IIN: '012345678901',
      DATE_START: '2024-03-01',
      DATE_END: '2024-03-31',
    });
  });

  it('rolls back the chunks already sent when a later chunk fails', async () => {
    const { fake, target } = setUp([
      {
        when: exactly(oracleSql.insertUsers[TARGET_USERS_TABLE]),
        on: 'executeMany',
        error: () =>
          oracleError(
            'ORA-01653',
            'unable to extend table DSSB_OCDS.MB22_LOCAL_TARGET by 128 in tablespace USERS',
          ),
        after: 2, // the first two chunks go through, the third fails
      },
    ]);
    await expect(
      target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000001', iins: sampleIins(2_500) }),
    ).rejects.toThrow('ORA-01653: the tablespace is full');
    expect(fake.log.filter((s) => s.on === 'executeMany').map((s) => s.failed)).toEqual([false, false, true]);
    expect(fake.rows(TARGET_USERS_TABLE)).toHaveLength(0);
    expect(fake.rollbacks).toBe(1);
  });

  it('rides out a connection lost at commit and a pool that times out once', async () => {
    const { fake, target } = setUp([
      {
        when: /.*/,
        on: 'commit',
        error: () => oracleError('NJS-500', 'connection to Oracle Database was closed or broken'),
        times: 1,
      },
      {
        when: /.*/,
        on: 'getConnection',
        error: () => oracleError('NJS-040', 'connection request timeout'),
        times: 1,
      },
    ]);
    const result = await deployCampaign(target, request);
    expect(result.success).toBe(true);
    expect(fake.rows(TARGET_USERS_TABLE)).toHaveLength(2_500);
  });
});

describe('OracleTarget delete', () => {
  it('deletes a campaign from every table or from none', async () => {
    const { fake, target } = setUp([
      {
        when: exactly(oracleSql.deleteCampaign[OFF_LIMIT_USERS_TABLE]),
        error: () => oracleError('ORA-00054', 'resource busy and acquire with NOWAIT specified'),
      },
    ]);
    expect((await deployCampaign(target, request)).success).toBe(true);
    await expect(target.deleteCampaign('C000012348')).rejects.toThrow(
      'ORA-00054: the table is locked by another session',
    );
    expect(fake.rows(RB1_METADATA_TABLE)).toHaveLength(1);
    expect(fake.rows(TARGET_USERS_TABLE)).toHaveLength(2_500);
    expect(fake.rows(CAMPAIGN_USERS_TABLE)).toHaveLength(2_500);
  });
});

describe('ORA- error messages', () => {
  it('maps known codes to clear messages and keeps the first line of unknown ones', () => {
    expect(toDeployTargetError(oracleError('ORA-00942', 'table or view does not exist')).message).toMatch(
      /grant/,
    );
    expect(toDeployTargetError(oracleError('ORA-00942', 'x')).transient).toBe(false);
    expect(toDeployTargetError(oracleError('NJS-123', 'call timeout of 1000 ms exceeded'))).toMatchObject({
      message: 'Connection timeout',
      transient: true,
      code: 'NJS-123',
    });
    const unknown = toDeployTargetError(
      oracleError('ORA-20001', 'custom trigger says no\nHelp: https://docs.oracle.com/'),
    );
    expect(unknown).toMatchObject({ message: 'ORA-20001: custom trigger says no', transient: false });
  });
});
