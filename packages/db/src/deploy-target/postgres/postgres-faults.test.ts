// Fault tests on the PostgreSQL twin through a wrapped client: the seed's example errors, a metadata failure,
// and a retry after a partial failure; then the same kinds of failure raised by the server itself.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../server/test-databases';
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
import { type FaultyTwinClient, faultyTwinClient, pgError, type TwinFault } from './faulty-twin-client';
import { PostgresTarget } from './postgres-target';
import { poolTwinClient, type TwinClient } from './twin-client';

const request = faultTestRequest(1_000);

const uniqueViolation = () =>
  pgError('23505', 'duplicate key value violates unique constraint "fd_rb2_campaigns_users_pk"', {
    constraint: 'fd_rb2_campaigns_users_pk',
  });
const connectionTimeout = () => pgError('08006', 'Connection timeout');

let database: TempDatabase;
let pool: pg.Pool;
let db: TwinClient;
beforeEach(async () => {
  database = await createTempDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  db = poolTwinClient(pool);
});
afterEach(async () => {
  await pool.end();
  await database.drop();
});

async function twin(faults: TwinFault[]): Promise<{ target: PostgresTarget; client: FaultyTwinClient }> {
  const client = faultyTwinClient(db, faults);
  return { target: await PostgresTarget.over(client, { retry: noWait }), client };
}

const count = async (table: string, distinct = false) => {
  const r = await db.query<{ n: number }>(
    `SELECT count(${distinct ? 'DISTINCT iin' : '*'})::int AS n FROM ${table} WHERE campaigncode = 'C000012348'`,
  );
  return r.rows[0]!.n;
};

describe('PostgreSQL twin under faults', () => {
  it('answers the seed’s error response for a duplicate on fd_rb2 and a timeout on off_limit', async () => {
    const { target, client } = await twin([
      { when: /COPY spss\.fd_rb2_campaigns_users/, error: uniqueViolation },
      { when: /COPY spss\.off_limit_campaigns_users/, error: connectionTimeout },
    ]);
    const result = await deployCampaign(target, request);
    expect({ ...result, tables: undefined }).toEqual({
      campaign_code: 'C000012348',
      tables_updated: [RB1_METADATA_TABLE, TARGET_USERS_TABLE],
      total_users: 1_000,
      errors: [
        'fd_rb2_campaigns_users: unique constraint violated (fd_rb2_campaigns_users_pk)',
        'off_limit_campaigns_users: Connection timeout',
      ],
      success: false,
      tables: undefined,
    });
    // The timeout is transient: tried three times. The constraint error is not: tried once.
    expect(client.log.filter((s) => s.failed && /off_limit/.test(s.sql))).toHaveLength(3);
    expect(client.log.filter((s) => s.failed && /fd_rb2/.test(s.sql))).toHaveLength(1);
    expect(await count(TARGET_USERS_TABLE)).toBe(1_000);
    expect(await count(CAMPAIGN_USERS_TABLE)).toBe(0);
    expect(await count(OFF_LIMIT_USERS_TABLE)).toBe(0);
  });

  it('writes nothing at all when the metadata fails', async () => {
    const { target, client } = await twin([
      {
        when: /INSERT INTO dssb_ocds\.mb01_camp_dict/,
        error: () => pgError('22001', 'value too long for type character varying(400)'),
      },
    ]);
    const result = await deployCampaign(target, { ...request, control: sampleIins(100, 5_000) });
    expect(result.success).toBe(false);
    expect(result.tables_updated).toEqual([]);
    expect(result.errors).toEqual(['mb01_camp_dict: value too long for type character varying(400)']);
    expect(result.tables.slice(1).every((t) => t.status === 'skipped')).toBe(true);
    expect(client.log.some((s) => s.sql.startsWith('COPY'))).toBe(false);
    for (const table of targetTables) {
      const r = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      expect(r.rows[0]!.n).toBe(0);
    }
  });

  it('a retry after a partial failure writes only what failed and duplicates nothing', async () => {
    const first = await twin([
      { when: /COPY spss\.fd_rb2_campaigns_users/, error: uniqueViolation },
      { when: /COPY spss\.off_limit_campaigns_users/, error: connectionTimeout },
    ]);
    const withControl = { ...request, control: sampleIins(100, 5_000) };
    expect((await deployCampaign(first.target, withControl)).success).toBe(false);

    const second = await twin([]);
    const retry = await deployCampaign(second.target, withControl);
    expect(retry.success).toBe(true);
    expect(retry.tables_updated).toEqual([CAMPAIGN_USERS_TABLE, OFF_LIMIT_USERS_TABLE]);
    expect(retry.tables.map((t) => t.status)).toEqual([
      'already_present',
      'already_present',
      'already_present',
      'written',
      'written',
    ]);
    // Only the two failed tables were written to (in either order: the twin loads tables at once).
    expect(
      second.client.log
        .filter((s) => s.sql.startsWith('COPY'))
        .map((s) => s.sql.split(' ')[1])
        .sort(),
    ).toEqual([CAMPAIGN_USERS_TABLE, OFF_LIMIT_USERS_TABLE].sort());
    for (const table of [TARGET_USERS_TABLE, CAMPAIGN_USERS_TABLE, OFF_LIMIT_USERS_TABLE]) {
      expect(await count(table)).toBe(1_000);
      expect(await count(table, true)).toBe(1_000);
    }
    expect(await count(CONTROL_USERS_TABLE)).toBe(100);
  });

  it('rides out a timeout that clears on the second try', async () => {
    const { target } = await twin([
      { when: /COPY spss\.off_limit_campaigns_users/, error: connectionTimeout, times: 1 },
    ]);
    const result = await deployCampaign(target, request);
    expect(result.success).toBe(true);
    expect(await count(OFF_LIMIT_USERS_TABLE)).toBe(1_000);
  });

  it('deletes a campaign from every table or from none', async () => {
    const healthy = await twin([]);
    await deployCampaign(healthy.target, { ...request, control: sampleIins(100, 5_000) });
    const failing = await twin([
      {
        when: /DELETE FROM spss\.off_limit_campaigns_users/,
        error: () => pgError('57014', 'canceling statement due to statement timeout'),
      },
    ]);
    await expect(failing.target.deleteCampaign('C000012348')).rejects.toThrow(/statement timeout/);
    expect(await count(RB1_METADATA_TABLE)).toBe(1);
    expect(await count(TARGET_USERS_TABLE)).toBe(1_000);
    expect(await count(CAMPAIGN_USERS_TABLE)).toBe(1_000);
  });
});
