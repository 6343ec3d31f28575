// The default deploy target: the seed's six tables in PostgreSQL (schemas dssb_ocds and spss), in the app's own
// server or another by URL (TARGET_DATABASE_URL). User rows go in through COPY ... FROM STDIN.
import type { CampaignType } from '@campaigns/core/rules';
import pg from 'pg';
import type {
  DeletedRows,
  DeployedCampaign,
  DeployedCampaignPage,
  DeployTarget,
  LargestCodes,
  MetadataRow,
  TargetMetadata,
  UserRows,
} from '../deploy-target';
import { type LastContact, type LastContactOptions, lastContactKeys, lastContactOf } from '../last-contacts';
import { checkedDate, metadataColumns, metadataValues } from '../metadata-values';
import { defaultRetryPolicy, type RetryPolicy, withRetry } from '../retry';
import {
  metadataTableFor,
  OFF_LIMIT_USERS_TABLE,
  RB1_METADATA_TABLE,
  RB3_METADATA_TABLE,
  type TargetTable,
  targetTables,
  type UserTable,
  userColumnsFor,
} from '../tables';
import { userRowsCopySource } from './copy-binary';
import { iinsOfListText } from './iin-list-text';
import { toDeployTargetError } from './pg-errors';
import { poolTwinClient, type TwinClient } from './twin-client';
import { twinSchemaSql } from './twin-schema';

const LARGEST_CODE_SQL = `
SELECT max(campaigncode) AS value FROM (
  SELECT campaigncode FROM ${RB1_METADATA_TABLE} UNION ALL SELECT campaigncode FROM ${RB3_METADATA_TABLE}
) codes WHERE campaigncode ~ '^C[0-9]{9}$'`;
const LARGEST_XLS_SQL = `SELECT max(xls_ow_id) AS value FROM ${RB3_METADATA_TABLE} WHERE xls_ow_id ~ '^KKB_[0-9]{4}$'`;

const metadataSelect = (table: string, kind: CampaignType) => `
SELECT campaigncode, '${kind}' AS kind, ${kind === 'RB3' ? 'xls_ow_id, bonus, characteristic_json' : 'NULL AS xls_ow_id, NULL AS bonus, NULL AS characteristic_json'},
  campaign_name, campaign_desc, stream, sub_stream, target_action, channel, campaign_type, campaign_text,
  campaign_text_kz, short_desc, to_char(date_start, 'YYYY-MM-DD') AS date_start,
  to_char(date_end, 'YYYY-MM-DD') AS date_end, to_char(out_date, 'YYYY-MM-DD') AS out_date, camp_cnt
FROM ${table}`;

const ALL_METADATA_SQL = `${metadataSelect(RB1_METADATA_TABLE, 'RB1')} UNION ALL ${metadataSelect(RB3_METADATA_TABLE, 'RB3')}`;

interface MetadataRecord {
  campaigncode: string;
  kind: CampaignType;
  xls_ow_id: string | null;
  bonus: string | null;
  characteristic_json: string | null;
  campaign_name: string;
  campaign_desc: string | null;
  stream: string | null;
  sub_stream: string | null;
  target_action: string | null;
  channel: string | null;
  campaign_type: string | null;
  campaign_text: string | null;
  campaign_text_kz: string | null;
  short_desc: string | null;
  date_start: string | null;
  date_end: string | null;
  out_date: string | null;
  camp_cnt: string | number | null;
}

function map(row: MetadataRecord): DeployedCampaign {
  const metadata: TargetMetadata = {
    campaign_name: row.campaign_name,
    campaign_desc: row.campaign_desc,
    stream: row.stream,
    sub_stream: row.sub_stream,
    target_action: row.target_action,
    channel: row.channel,
    campaign_type: row.campaign_type,
    campaign_text: row.campaign_text,
    campaign_text_kz: row.campaign_text_kz,
    short_desc: row.short_desc,
    date_start: row.date_start,
    date_end: row.date_end,
    out_date: row.out_date,
    camp_cnt: row.camp_cnt === null ? null : Number(row.camp_cnt),
  };
  if (row.kind === 'RB3') {
    metadata.bonus = row.bonus;
    metadata.characteristic_json = row.characteristic_json;
  }
  return { campaignCode: row.campaigncode, kind: row.kind, xlsOwId: row.xls_ow_id, metadata };
}

export interface PostgresTargetOptions {
  retry?: RetryPolicy;
}

/** Creating the schemas at once from several instances would race; they take turns under this advisory lock. */
const TWIN_SCHEMA_LOCK_KEY = 7_304_117_002;

export class PostgresTarget implements DeployTarget {
  readonly name = 'postgres' as const;
  /** The server loads tables on several backends at once (one core each). */
  readonly parallelWrites = 4;
  private readonly retry: RetryPolicy;

  private constructor(
    private readonly client: TwinClient,
    options: PostgresTargetOptions,
  ) {
    this.retry = options.retry ?? defaultRetryPolicy;
  }

  /** Connects to the database at `databaseUrl` and creates the twin's schemas and tables if missing. */
  static async open(
    databaseUrl: string,
    options: PostgresTargetOptions & { maxConnections?: number } = {},
  ): Promise<PostgresTarget> {
    const pool = new pg.Pool({
      connectionString: databaseUrl,
      max: options.maxConnections ?? 6,
      application_name: 'campaigns-target',
    });
    pool.on('error', () => {}); // a dropped idle connection; the next query opens a new one
    try {
      return await PostgresTarget.over(poolTwinClient(pool), options);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** Uses an open client (e.g. a wrapped one that injects faults) and creates the tables if missing. */
  static async over(client: TwinClient, options: PostgresTargetOptions = {}): Promise<PostgresTarget> {
    await client.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [TWIN_SCHEMA_LOCK_KEY]);
      await tx.query(twinSchemaSql);
    });
    return new PostgresTarget(client, options);
  }

  private guarded<T>(work: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await work();
        } catch (error) {
          throw toDeployTargetError(error);
        }
      },
      (error) => toDeployTargetError(error).transient,
      this.retry,
    );
  }

  async largestCodes(): Promise<LargestCodes> {
    return this.guarded(async () => {
      const code = await this.client.query<{ value: string | null }>(LARGEST_CODE_SQL);
      const xls = await this.client.query<{ value: string | null }>(LARGEST_XLS_SQL);
      return { campaignCode: code.rows[0]?.value ?? null, xlsOwId: xls.rows[0]?.value ?? null };
    });
  }

  async writeMetadata(row: MetadataRow): Promise<void> {
    const columns = metadataColumns(row);
    const values = metadataValues(row);
    const sql = `INSERT INTO ${metadataTableFor(row.kind)} (${columns.join(', ')}) VALUES (${columns
      .map((_, i) => `$${i + 1}`)
      .join(', ')})`;
    await this.guarded(() => this.client.transaction((tx) => tx.query(sql, values)));
  }

  async writeUsers(table: UserTable, rows: UserRows): Promise<void> {
    const trailing =
      table === OFF_LIMIT_USERS_TABLE
        ? [checkedDate('date_start', rows.dateStart), checkedDate('date_end', rows.dateEnd)]
        : [];
    const copy = `COPY ${table} (${userColumnsFor(table).join(', ')}) FROM STDIN WITH (FORMAT binary)`;
    // One COPY in one transaction: the table lands whole or not at all. The server does the work; this thread
    // only makes the bytes, one buffer of a few reused ones per turn of the event loop (copy-in.ts).
    await this.guarded(() =>
      this.client.transaction((tx) =>
        tx.copyFrom(copy, userRowsCopySource(rows.campaignCode, rows.iins, trailing)),
      ),
    );
  }

  async countRows(table: TargetTable, campaignCode: string): Promise<number> {
    return this.guarded(async () => {
      const result = await this.client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${table} WHERE campaigncode = $1`,
        [campaignCode],
      );
      return result.rows[0]?.n ?? 0;
    });
  }

  async deleteCampaign(campaignCode: string): Promise<DeletedRows> {
    return this.guarded(() =>
      this.client.transaction(async (tx) => {
        const deleted = {} as DeletedRows;
        for (const table of targetTables) {
          const result = await tx.query(`DELETE FROM ${table} WHERE campaigncode = $1`, [campaignCode]);
          deleted[table] = result.rowCount;
        }
        return deleted;
      }),
    );
  }

  async getCampaign(campaignCode: string): Promise<DeployedCampaign | null> {
    return this.guarded(async () => {
      const result = await this.client.query<MetadataRecord>(
        `SELECT * FROM (${ALL_METADATA_SQL}) m WHERE campaigncode = $1`,
        [campaignCode],
      );
      const row = result.rows[0];
      return row ? map(row) : null;
    });
  }

  async listCampaigns(
    query: { limit?: number; offset?: number; kind?: CampaignType } = {},
  ): Promise<DeployedCampaignPage> {
    return this.guarded(async () => {
      const result = await this.client.query<MetadataRecord>(
        `SELECT * FROM (${ALL_METADATA_SQL}) m WHERE ($1::text IS NULL OR kind = $1)
         ORDER BY campaigncode DESC LIMIT $2 OFFSET $3`,
        [query.kind ?? null, query.limit ?? 50, query.offset ?? 0],
      );
      const counts = await this.client.query<{ rb1: number; rb3: number }>(
        `SELECT (SELECT count(*)::int FROM ${RB1_METADATA_TABLE}) AS rb1, (SELECT count(*)::int FROM ${RB3_METADATA_TABLE}) AS rb3`,
      );
      const rb1Count = counts.rows[0]?.rb1 ?? 0;
      const rb3Count = counts.rows[0]?.rb3 ?? 0;
      const total = query.kind === 'RB1' ? rb1Count : query.kind === 'RB3' ? rb3Count : rb1Count + rb3Count;
      return { campaigns: result.rows.map(map), total, rb1Count, rb3Count };
    });
  }

  async offLimitIins(period: {
    dateStart: string;
    dateEnd: string;
    excludeCampaignCode?: string;
  }): Promise<Float64Array> {
    const dateStart = checkedDate('dateStart', period.dateStart);
    const dateEnd = checkedDate('dateEnd', period.dateEnd);
    return this.guarded(async () => {
      // One row: the count and every IIN in one text (iin-list-text.ts says why).
      const result = await this.client.query<{ n: number; iins: string | null }>(
        `SELECT count(*)::int AS n, string_agg(iin, ',' ORDER BY iin) AS iins FROM (
           SELECT DISTINCT iin FROM ${OFF_LIMIT_USERS_TABLE}
           WHERE coalesce(date_start, '-infinity'::date) <= $2::date
             AND coalesce(date_end, 'infinity'::date) >= $1::date
             AND ($3::text IS NULL OR campaigncode <> $3)
         ) reserved`,
        [dateStart, dateEnd, period.excludeCampaignCode ?? null],
      );
      const row = result.rows[0];
      return iinsOfListText(row?.iins ?? '', row?.n ?? 0);
    });
  }

  async lastContacts(iins: readonly number[], options: LastContactOptions = {}): Promise<LastContact[]> {
    const keys = lastContactKeys(iins);
    if (keys.length === 0) return [];
    return this.guarded(async () => {
      const result = await this.client.query<{
        iin: string;
        campaignCode: string;
        dateStart: string | null;
        dateEnd: string | null;
      }>(
        `SELECT DISTINCT ON (iin) iin, campaigncode AS "campaignCode",
                to_char(date_start, 'YYYY-MM-DD') AS "dateStart", to_char(date_end, 'YYYY-MM-DD') AS "dateEnd"
         FROM ${OFF_LIMIT_USERS_TABLE}
         WHERE iin = ANY($1::varchar[]) AND ($2::text IS NULL OR campaigncode <> $2)
         ORDER BY iin, coalesce(date_end, 'infinity'::date) DESC, campaigncode DESC`,
        [keys, options.excludeCampaignCode ?? null],
      );
      return result.rows.map(lastContactOf);
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
