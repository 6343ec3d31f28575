// Deploy semantics as a property, against a simple model: random deploy_options, audiences and faults per
// table (constraint errors, timeouts that persist, timeouts that clear), then a retry without faults.
// Runs on the fake Oracle connection (fast); the contract and fault suites cover the same code on the PostgreSQL twin.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { deployCampaign } from './deploy';
import { FakeOracle, type OracleFault, oracleError } from './oracle/fake-oracle';
import { oracleSql } from './oracle/oracle-sql';
import { OracleTarget } from './oracle/oracle-target';
import {
  CAMPAIGN_USERS_TABLE,
  CONTROL_USERS_TABLE,
  OFF_LIMIT_USERS_TABLE,
  RB1_METADATA_TABLE,
  shortTableName,
  TARGET_USERS_TABLE,
  type TargetTable,
  targetTables,
  type UserTable,
} from './tables';
import { sampleMetadata } from './target.contract';

type Fault = 'none' | 'constraint' | 'timeout' | 'timeout_once';
const faultKind = fc.constantFrom<Fault>('none', 'none', 'constraint', 'timeout', 'timeout_once');
const exactly = (sql: string) => new RegExp(`^${sql.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
const ATTEMPTS = 3;

function faultFor(table: TargetTable, kind: Fault): OracleFault[] {
  if (kind === 'none') return [];
  const sql =
    table === RB1_METADATA_TABLE
      ? oracleSql.insertMetadata[RB1_METADATA_TABLE]
      : oracleSql.insertUsers[table as UserTable];
  return [
    {
      when: exactly(sql),
      error: () =>
        kind === 'constraint'
          ? oracleError('ORA-00001', 'unique constraint (X.PK) violated')
          : oracleError('NJS-510', 'connection to host db port 1521 timed out'),
      // A persistent timeout outlasts the first deploy's retries; clearFaults() ends it before the second.
      times: kind === 'constraint' || kind === 'timeout_once' ? 1 : ATTEMPTS,
    },
  ];
}

it('writes each enabled table whole or not at all, and a retry completes it without duplicates', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        deploy_metadata: fc.boolean(),
        deploy_targeting: fc.boolean(),
        deploy_users: fc.boolean(),
        deploy_offlimit: fc.boolean(),
      }),
      fc.uniqueArray(fc.integer({ min: 1, max: 999_999_999_999 }), { minLength: 1, maxLength: 40 }),
      fc.nat({ max: 10 }),
      fc.record({
        metadata: faultKind,
        target: faultKind,
        control: faultKind,
        users: faultKind,
        offLimit: faultKind,
      }),
      async (options, audience, controlSize, faults) => {
        const control = audience.slice(0, Math.min(controlSize, audience.length - 1));
        const target = audience.slice(control.length);
        const expected: Record<TargetTable, number> = {
          [RB1_METADATA_TABLE]: options.deploy_metadata ? 1 : 0,
          'dssb_ocds.rb3_tr_campaign_dict': 0,
          [TARGET_USERS_TABLE]: options.deploy_targeting ? target.length : 0,
          [CONTROL_USERS_TABLE]: options.deploy_targeting ? control.length : 0,
          [CAMPAIGN_USERS_TABLE]: options.deploy_users ? target.length : 0,
          [OFF_LIMIT_USERS_TABLE]: options.deploy_offlimit ? target.length : 0,
        };
        const faultOf: Partial<Record<TargetTable, Fault>> = {
          [RB1_METADATA_TABLE]: faults.metadata,
          [TARGET_USERS_TABLE]: faults.target,
          [CONTROL_USERS_TABLE]: faults.control,
          [CAMPAIGN_USERS_TABLE]: faults.users,
          [OFF_LIMIT_USERS_TABLE]: faults.offLimit,
        };
        const fake = new FakeOracle(
          Object.entries(faultOf).flatMap(([t, k]) => faultFor(t as TargetTable, k)),
        );
        const adapter = new OracleTarget(fake.pool(), {
          batchSize: 7,
          retry: { attempts: ATTEMPTS, baseDelayMs: 0, maxDelayMs: 0 },
        });
        const request = {
          campaignCode: 'C000000042',
          kind: 'RB1' as const,
          metadata: sampleMetadata,
          target,
          control,
          options,
        };

        // The model: which tables fail on the first deploy.
        const fails = (t: TargetTable) =>
          expected[t] > 0 && (faultOf[t] === 'constraint' || faultOf[t] === 'timeout');
        const critical = fails(RB1_METADATA_TABLE);
        const failed: TargetTable[] = critical ? [RB1_METADATA_TABLE] : targetTables.filter(fails);

        const first = await deployCampaign(adapter, request);
        expect(first.success).toBe(failed.length === 0);
        expect(first.errors.map((e) => e.split(':')[0])).toEqual(failed.map((t) => shortTableName(t)));
        for (const table of targetTables) {
          const landed = critical || failed.includes(table) ? 0 : expected[table];
          expect(fake.rows(table)).toHaveLength(landed);
        }

        fake.clearFaults();
        const retry = await deployCampaign(adapter, request);
        expect(retry.success).toBe(true);
        const rewritten: TargetTable[] = critical ? targetTables.filter((t) => expected[t] > 0) : failed;
        expect(retry.tables_updated).toEqual(rewritten);
        for (const table of targetTables) {
          const rows = fake.rows(table);
          expect(rows).toHaveLength(expected[table]);
          expect(new Set(rows.map((r) => `${r.CAMPAIGNCODE}|${r.IIN ?? ''}`)).size).toBe(expected[table]);
        }
      },
    ),
    { numRuns: 200 },
  );
});
