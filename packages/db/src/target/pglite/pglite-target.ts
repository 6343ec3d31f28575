// The embedded deploy target: the seed's six tables in PGlite (schemas dssb_ocds and spss).
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type {
  CampaignMetadata,
  DeletedRows,
  DeployedCampaign,
  DeployedCampaignPage,
  DeployTarget,
  MetadataRow,
  UserRows,
} from '../deploy-target';
import { checkedDate, metadataColumns, metadataValues } from '../metadata-values';
import { defaultRetryPolicy, type RetryPolicy, withRetry } from '../retry';
import {
  type CampaignKind,
  metadataTableFor,
  OFF_LIMIT_USERS_TABLE,
  RB1_METADATA_TABLE,
  RB3_METADATA_TABLE,
  type TargetTable,
  targetTables,
  type UserTable,
  userColumnsFor,
} from '../tables';
import { userRowsCopyBinary } from './copy-binary';
import { toDeployTargetError } from './pg-errors';
import { twinSchemaSql } from './twin-schema';

interface QueryResult<T> {
  rows: T[];
  affectedRows?: number;
}

/** What the twin needs of a PGlite connection or transaction (narrow, so tests can wrap it to inject faults). */
export interface TwinQueryable {
  query<T>(sql: string, params?: unknown[], options?: { blob?: Blob }): Promise<QueryResult<T>>;
  exec(sql: string): Promise<unknown>;
}

export interface TwinClient extends TwinQueryable {
  transaction<T>(work: (tx: TwinQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const LARGEST_CODE_SQL = `
SELECT max(campaigncode) AS value FROM (
  SELECT campaigncode FROM ${RB1_METADATA_TABLE} UNION ALL SELECT campaigncode FROM ${RB3_METADATA_TABLE}
) codes WHERE campaigncode ~ '^C[0-9]{9}$'`;
const LARGEST_XLS_SQL = `SELECT max(xls_ow_id) AS value FROM ${RB3_METADATA_TABLE} WHERE xls_ow_id ~ '^KKB_[0-9]{4}$'`;

const metadataSelect = (table: string, kind: CampaignKind) => `
SELECT campaigncode, '${kind}' AS kind, ${kind === 'RB3' ? 'xls_ow_id, bonus, characteristic_json' : 'NULL AS xls_ow_id, NULL AS bonus, NULL AS characteristic_json'},
  campaign_name, campaign_desc, stream, sub_stream, target_action, channel, campaign_type, campaign_text,
  campaign_text_kz, short_desc, to_char(date_start, 'YYYY-MM-DD') AS date_start,
  to_char(date_end, 'YYYY-MM-DD') AS date_end, to_char(out_date, 'YYYY-MM-DD') AS out_date, camp_cnt
FROM ${table}`;

const ALL_METADATA_SQL = `${metadataSelect(RB1_METADATA_TABLE, 'RB1')} UNION ALL ${metadataSelect(RB3_METADATA_TABLE, 'RB3')}`;

interface MetadataRecord {
  campaigncode: string;
  kind: CampaignKind;
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
  const metadata: CampaignMetadata = {
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

export interface PgliteTargetOptions {
  retry?: RetryPolicy;
}

export class PgliteTarget implements DeployTarget {
  readonly name = 'pglite' as const;
  private readonly retry: RetryPolicy;

  private constructor(
    private readonly client: TwinClient,
    options: PgliteTargetOptions,
  ) {
    this.retry = options.retry ?? defaultRetryPolicy;
  }

  /** Opens (or creates) the twin in `dataDir` ('memory://' for a throw-away one). */
  static async open(dataDir: string, options: PgliteTargetOptions = {}): Promise<PgliteTarget> {
    if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
    const client = await PGlite.create(dataDir);
    return PgliteTarget.over(client, options);
  }

  /** Uses an open client (e.g. a wrapped one that injects faults) and creates the tables if missing. */
  static async over(client: TwinClient, options: PgliteTargetOptions = {}): Promise<PgliteTarget> {
    await client.exec(twinSchemaSql);
    return new PgliteTarget(client, options);
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

  async largestCodes(): Promise<{ campaignCode: string | null; xlsOwId: string | null }> {
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
    const copy = `COPY ${table} (${userColumnsFor(table).join(', ')}) FROM '/dev/blob' WITH (FORMAT binary)`;
    // PGlite runs a statement on this thread, so one COPY of a million rows would stall every request for
    // seconds: the rows go in chunks, one COPY each, with the event loop free between them. One transaction
    // still makes the table land whole or not at all.
    const { iins } = rows;
    await this.guarded(() =>
      this.client.transaction(async (tx) => {
        for (let from = 0; from < iins.length || from === 0; from += COPY_CHUNK_ROWS) {
          const chunk = sliceOf(iins, from, Math.min(iins.length, from + COPY_CHUNK_ROWS));
          const bytes = userRowsCopyBinary(rows.campaignCode, chunk, trailing);
          await tx.query(copy, [], { blob: new Blob([bytes]) });
          if (from + COPY_CHUNK_ROWS < iins.length) await new Promise((resolve) => setImmediate(resolve));
        }
      }),
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
          deleted[table] = result.affectedRows ?? 0;
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
    query: { limit?: number; offset?: number; kind?: CampaignKind } = {},
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
      const result = await this.client.query<{ iin: string }>(
        `SELECT DISTINCT iin FROM ${OFF_LIMIT_USERS_TABLE}
         WHERE coalesce(date_start, '-infinity'::date) <= $2::date
           AND coalesce(date_end, 'infinity'::date) >= $1::date
           AND ($3::text IS NULL OR campaigncode <> $3)
         ORDER BY iin`,
        [dateStart, dateEnd, period.excludeCampaignCode ?? null],
      );
      return Float64Array.from(result.rows, (r) => Number(r.iin));
    });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** Rows per COPY statement: about 0.1 s of work, the longest the event loop waits during a deploy. */
const COPY_CHUNK_ROWS = 32_768;

function sliceOf(values: ArrayLike<number>, from: number, to: number): ArrayLike<number> {
  if (ArrayBuffer.isView(values)) return (values as unknown as Float64Array).subarray(from, to);
  return Array.prototype.slice.call(values, from, to) as number[];
}
