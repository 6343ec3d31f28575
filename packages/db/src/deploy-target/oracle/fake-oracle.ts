// Test helper: an in-memory stand-in for an Oracle server behind node-oracledb's pool and connection API.
// No Oracle server can run on our machines, so OracleTarget is exercised against this: it understands exactly
// the statements in oracle-sql.ts (anything else is an error), enforces the tables' keys with ORA-00001, keeps
// each connection's writes private until commit, and can inject ORA-/NJS- errors on chosen statements.
// Simplification: a commit replaces the whole state, so concurrent writers are not modelled.
import type oracledb from 'oracledb';
import { metadataTables, RB3_METADATA_TABLE, type TargetTable, targetTables, userTables } from '../tables';
import { oracleSql } from './oracle-sql';
import type { OracleConnectionLike, OraclePoolLike } from './oracle-target';

type Row = Record<string, string | number | null>;
type State = Map<TargetTable, Map<string, Row>>;

export interface OracleFault {
  /** Matched against the SQL text; for 'commit' and 'getConnection' it is ignored. */
  when: RegExp;
  on?: 'execute' | 'executeMany' | 'commit' | 'getConnection';
  error: () => Error;
  times?: number;
  /** Let this many matching calls through before failing. */
  after?: number;
}

export function oracleError(code: string, message: string): Error {
  const errorNum = code.startsWith('ORA-') ? Number(code.slice(4)) : undefined;
  return Object.assign(new Error(`${code}: ${message}`), { code, errorNum });
}

const uniqueViolation = (constraint: string) =>
  oracleError('ORA-00001', `unique constraint (${constraint}) violated`);

const cloneState = (state: State): State => new Map([...state].map(([t, rows]) => [t, new Map(rows)]));

const USER_COLUMNS = ['CAMPAIGNCODE', 'IIN', 'DATE_START', 'DATE_END'];

export class FakeOracle {
  private state: State = new Map(targetTables.map((t) => [t, new Map()]));
  private readonly remaining: number[];
  private readonly passes: number[];
  readonly log: { sql: string; on: string; failed: boolean; rows: number; bindDefs?: unknown }[] = [];
  commits = 0;
  rollbacks = 0;
  closedConnections = 0;
  openedConnections = 0;

  constructor(private readonly faults: OracleFault[] = []) {
    this.remaining = faults.map((f) => f.times ?? Number.POSITIVE_INFINITY);
    this.passes = faults.map((f) => f.after ?? 0);
  }

  /** The network heals: no more injected errors. */
  clearFaults(): void {
    this.remaining.fill(0);
  }

  /** Committed rows of a table (what another session would see). */
  rows(table: TargetTable): Row[] {
    return [...this.state.get(table)!.values()];
  }

  pool(): OraclePoolLike {
    return {
      getConnection: async () => {
        this.inject('getConnection', '');
        this.openedConnections++;
        return this.connection();
      },
      close: async () => {},
    };
  }

  private inject(on: string, sql: string, rows = 0, bindDefs?: unknown): void {
    const index = this.faults.findIndex((f, i) => {
      if (
        !(f.on ?? 'execute|executeMany').split('|').includes(on) ||
        !f.when.test(sql) ||
        this.remaining[i]! <= 0
      ) {
        return false;
      }
      if (this.passes[i]! > 0) {
        this.passes[i]!--;
        return false;
      }
      return true;
    });
    this.log.push({ sql, on, failed: index >= 0, rows, bindDefs });
    if (index >= 0) {
      this.remaining[index]!--;
      throw this.faults[index]!.error();
    }
  }

  private connection(): OracleConnectionLike {
    let working: State | null = null; // this transaction's copy, made at its first write
    const view = () => working ?? this.state;
    const write = () => {
      working ??= cloneState(this.state);
      return working;
    };
    const fake = this;
    return {
      async execute<T>(sql: string, binds: oracledb.BindParameters): Promise<oracledb.Result<T>> {
        fake.inject('execute', sql);
        const b = binds as Record<string, string | number | null>;
        return fake.run(sql, b, view, write) as oracledb.Result<T>;
      },
      async executeMany<T>(
        sql: string,
        binds: oracledb.BindParameters[],
        options: oracledb.ExecuteManyOptions,
      ): Promise<oracledb.Results<T>> {
        fake.inject('executeMany', sql, binds.length, options.bindDefs);
        const table = userTables.find((t) => oracleSql.insertUsers[t] === sql);
        if (!table) throw new Error(`fake Oracle: unexpected executeMany SQL: ${sql}`);
        // Statement-level atomicity: check every row before adding any.
        const target = new Map(write().get(table)!);
        for (const values of binds as (string | null)[][]) {
          const row: Row = {};
          values.forEach((v, i) => {
            row[USER_COLUMNS[i]!] = v;
          });
          const key = `${row.CAMPAIGNCODE}|${row.IIN}`;
          if (target.has(key)) throw uniqueViolation(`${table.toUpperCase()}_PK`);
          target.set(key, row);
        }
        write().set(table, target);
        return { rowsAffected: binds.length } as oracledb.Results<T>;
      },
      async commit() {
        fake.inject('commit', '');
        if (working) fake.state = working;
        working = null;
        fake.commits++;
      },
      async rollback() {
        working = null;
        fake.rollbacks++;
      },
      async close() {
        working = null; // like Oracle: closing without a commit rolls back
        fake.closedConnections++;
      },
    };
  }

  private run(
    sql: string,
    binds: Record<string, string | number | null>,
    view: () => State,
    write: () => State,
  ): oracledb.Result<unknown> {
    const rows = (table: TargetTable) => [...view().get(table)!.values()];
    const metadata = (): Row[] =>
      metadataTables.flatMap((t) =>
        rows(t).map((r) => ({
          ...r,
          KIND: t === RB3_METADATA_TABLE ? 'RB3' : 'RB1',
          XLS_OW_ID: r.XLS_OW_ID ?? null,
        })),
      );
    const max = (values: unknown[], shape: RegExp) =>
      values
        .filter((v): v is string => typeof v === 'string' && shape.test(v))
        .sort()
        .at(-1) ?? null;

    if (sql === oracleSql.largestCampaignCode) {
      return {
        rows: [
          {
            LARGEST: max(
              metadata().map((r) => r.CAMPAIGNCODE),
              /^C[0-9]{9}$/,
            ),
          },
        ],
      };
    }
    if (sql === oracleSql.largestXlsOwId) {
      return {
        rows: [
          {
            LARGEST: max(
              rows(RB3_METADATA_TABLE).map((r) => r.XLS_OW_ID),
              /^KKB_[0-9]{4}$/,
            ),
          },
        ],
      };
    }
    for (const table of metadataTables) {
      if (sql !== oracleSql.insertMetadata[table]) continue;
      // A bind may be a plain value or { val, type } (the CLOB column).
      const row: Row = Object.fromEntries(
        Object.entries(binds).map(([k, v]) => [
          k.toUpperCase(),
          typeof v === 'object' && v !== null ? (v as { val: string }).val : v,
        ]),
      );
      const target = write().get(table)!;
      if (target.has(String(row.CAMPAIGNCODE))) throw uniqueViolation(`${table.toUpperCase()}_PK`);
      if (table === RB3_METADATA_TABLE && [...target.values()].some((r) => r.XLS_OW_ID === row.XLS_OW_ID)) {
        throw uniqueViolation('RB3_TR_CAMPAIGN_DICT_XLS_UK');
      }
      target.set(String(row.CAMPAIGNCODE), row);
      return { rowsAffected: 1 };
    }
    for (const table of targetTables) {
      if (sql === oracleSql.countRows[table]) {
        return { rows: [{ N: rows(table).filter((r) => r.CAMPAIGNCODE === binds.code).length }] };
      }
      if (sql === oracleSql.deleteCampaign[table]) {
        const target = write().get(table)!;
        let removed = 0;
        for (const [key, row] of target) {
          if (row.CAMPAIGNCODE === binds.code) {
            target.delete(key);
            removed++;
          }
        }
        return { rowsAffected: removed };
      }
    }
    if (sql === oracleSql.getRb1Campaign || sql === oracleSql.getRb3Campaign) {
      const kind = sql === oracleSql.getRb1Campaign ? 'RB1' : 'RB3';
      return { rows: metadata().filter((r) => r.KIND === kind && r.CAMPAIGNCODE === binds.code) };
    }
    if (sql === oracleSql.listCampaigns) {
      const all = metadata()
        .filter((r) => binds.kind === null || r.KIND === binds.kind)
        .map(({ CHARACTERISTIC_JSON: _, ...r }): Row => (r.KIND === 'RB1' ? { ...r, BONUS: null } : r))
        .sort((a, b) => String(b.CAMPAIGNCODE).localeCompare(String(a.CAMPAIGNCODE)));
      const skip = Number(binds.skip);
      return { rows: all.slice(skip, skip + Number(binds.take)) };
    }
    if (sql === oracleSql.countCampaigns) {
      return {
        rows: [{ RB1_COUNT: rows(metadataTables[0]).length, RB3_COUNT: rows(RB3_METADATA_TABLE).length }],
      };
    }
    if (sql === oracleSql.offLimitIins) {
      const iins = new Set<string>();
      for (const r of rows('spss.off_limit_campaigns_users')) {
        const startsBeforeEnd = (r.DATE_START ?? '0001-01-01') <= String(binds.date_end);
        const endsAfterStart = (r.DATE_END ?? '9999-12-31') >= String(binds.date_start);
        if (
          startsBeforeEnd &&
          endsAfterStart &&
          (binds.exclude === null || r.CAMPAIGNCODE !== binds.exclude)
        ) {
          iins.add(String(r.IIN));
        }
      }
      return { rows: [...iins].sort().map((iin) => [iin]) };
    }
    if (sql === oracleSql.lastContacts) {
      const { exclude, ...iinBinds } = binds;
      const wanted = new Set(
        Object.values(iinBinds)
          .filter((v) => v !== null)
          .map(String),
      );
      const latest = new Map<string, Row>();
      const end = (r: Row) => String(r.DATE_END ?? '9999-12-31');
      for (const r of rows('spss.off_limit_campaigns_users')) {
        const iin = String(r.IIN);
        if (!wanted.has(iin) || (exclude !== null && r.CAMPAIGNCODE === exclude)) continue;
        const seen = latest.get(iin);
        const later =
          !seen ||
          end(r) > end(seen) ||
          (end(r) === end(seen) && String(r.CAMPAIGNCODE) > String(seen.CAMPAIGNCODE));
        if (later) latest.set(iin, r);
      }
      return {
        rows: [...latest.values()].map((r) => ({
          IIN: r.IIN,
          CAMPAIGNCODE: r.CAMPAIGNCODE,
          DATE_START: r.DATE_START ?? null,
          DATE_END: r.DATE_END ?? null,
        })),
      };
    }
    throw new Error(`fake Oracle: unexpected SQL: ${sql}`);
  }
}
