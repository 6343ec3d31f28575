// The Oracle deploy target: node-oracledb in Thin mode (no Instant Client), a connection pool, executeMany in
// chunks with bindDefs, bind variables only, explicit commit/rollback, bounded retries of transient failures.

import { formatIin } from '@campaigns/core';
import type { CampaignType } from '@campaigns/core/rules';
import oracledb from 'oracledb';
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
  type TargetTable,
  targetTables,
  type UserTable,
} from '../tables';
import { toDeployTargetError } from './ora-errors';
import { lastContactBinds, oracleSql } from './oracle-sql';

/** What the adapter uses of a node-oracledb connection: small enough for a fake in tests. */
export interface OracleConnectionLike {
  execute<T>(
    sql: string,
    binds: oracledb.BindParameters,
    options: oracledb.ExecuteOptions,
  ): Promise<oracledb.Result<T>>;
  executeMany<T>(
    sql: string,
    binds: oracledb.BindParameters[],
    options: oracledb.ExecuteManyOptions,
  ): Promise<oracledb.Results<T>>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export interface OraclePoolLike {
  getConnection(): Promise<OracleConnectionLike>;
  close(drainTime?: number): Promise<void>;
}

export interface OracleSettings {
  user: string;
  password: string;
  /** e.g. 'dbhost:1521/ORCLPDB1' or a TNS descriptor. */
  connectString: string;
  poolMax?: number;
  /** Per round trip; a call that takes longer fails with NJS-123 and is retried as a timeout. */
  callTimeoutMs?: number;
}

export interface OracleTargetOptions {
  /** Rows per executeMany round trip. */
  batchSize?: number;
  retry?: RetryPolicy;
}

const OBJECT = { outFormat: oracledb.OUT_FORMAT_OBJECT } as const;

const varchar = (maxSize: number): oracledb.BindDefinition => ({ type: oracledb.DB_TYPE_VARCHAR, maxSize });

/** Binds are declared up front, so node-oracledb does not scan the rows to guess types and sizes. */
function bindDefsFor(table: UserTable): oracledb.BindDefinition[] {
  const base = [varchar(20), varchar(12)];
  return table === OFF_LIMIT_USERS_TABLE ? [...base, varchar(10), varchar(10)] : base;
}

interface MetadataRecord {
  CAMPAIGNCODE: string;
  KIND: CampaignType;
  XLS_OW_ID?: string | null;
  BONUS?: string | null;
  CHARACTERISTIC_JSON?: string | null;
  CAMPAIGN_NAME: string;
  CAMPAIGN_DESC: string | null;
  STREAM: string | null;
  SUB_STREAM: string | null;
  TARGET_ACTION: string | null;
  CHANNEL: string | null;
  CAMPAIGN_TYPE: string | null;
  CAMPAIGN_TEXT: string | null;
  CAMPAIGN_TEXT_KZ: string | null;
  SHORT_DESC: string | null;
  DATE_START: string | null;
  DATE_END: string | null;
  OUT_DATE: string | null;
  CAMP_CNT: number | null;
}

function map(row: MetadataRecord): DeployedCampaign {
  const metadata: TargetMetadata = {
    campaign_name: row.CAMPAIGN_NAME,
    campaign_desc: row.CAMPAIGN_DESC,
    stream: row.STREAM,
    sub_stream: row.SUB_STREAM,
    target_action: row.TARGET_ACTION,
    channel: row.CHANNEL,
    campaign_type: row.CAMPAIGN_TYPE,
    campaign_text: row.CAMPAIGN_TEXT,
    campaign_text_kz: row.CAMPAIGN_TEXT_KZ,
    short_desc: row.SHORT_DESC,
    date_start: row.DATE_START,
    date_end: row.DATE_END,
    out_date: row.OUT_DATE,
    camp_cnt: row.CAMP_CNT === null ? null : Number(row.CAMP_CNT),
  };
  if (row.KIND === 'RB3') {
    metadata.bonus = row.BONUS ?? null;
    if (row.CHARACTERISTIC_JSON !== undefined) metadata.characteristic_json = row.CHARACTERISTIC_JSON;
  }
  return { campaignCode: row.CAMPAIGNCODE, kind: row.KIND, xlsOwId: row.XLS_OW_ID ?? null, metadata };
}

export class OracleTarget implements DeployTarget {
  readonly name = 'oracle' as const;
  // One table at a time: the bank's server is shared, and the order of statements stays the seed's.
  readonly parallelWrites = 1;
  private readonly batchSize: number;
  private readonly retry: RetryPolicy;

  constructor(
    private readonly pool: OraclePoolLike,
    options: OracleTargetOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 10_000;
    this.retry = options.retry ?? defaultRetryPolicy;
  }

  /** Opens a Thin-mode pool. Nothing is created in the database: the tables are the DBA's (oracle/schema.sql). */
  static async connect(settings: OracleSettings, options: OracleTargetOptions = {}): Promise<OracleTarget> {
    const pool = await oracledb.createPool({
      user: settings.user,
      password: settings.password,
      connectString: settings.connectString,
      poolMin: 0,
      poolMax: settings.poolMax ?? 4,
      poolIncrement: 1,
      queueTimeout: 60_000,
    });
    const callTimeout = settings.callTimeoutMs ?? 120_000;
    return new OracleTarget(
      {
        async getConnection() {
          const connection = await pool.getConnection();
          connection.callTimeout = callTimeout;
          return connection;
        },
        close: (drainTime) => pool.close(drainTime ?? 10),
      },
      options,
    );
  }

  /**
   * One unit of work on one pooled connection: committed when `work` returns, rolled back when it throws, and
   * tried again from the start (a fresh connection) when the failure was transient.
   */
  private unitOfWork<T>(work: (connection: OracleConnectionLike) => Promise<T>, write: boolean): Promise<T> {
    return withRetry(
      async () => {
        let connection: OracleConnectionLike | undefined;
        try {
          connection = await this.pool.getConnection();
          const result = await work(connection);
          if (write) await connection.commit();
          return result;
        } catch (error) {
          if (write && connection) await connection.rollback().catch(() => {});
          throw toDeployTargetError(error);
        } finally {
          await connection?.close().catch(() => {});
        }
      },
      (error) => toDeployTargetError(error).transient,
      this.retry,
    );
  }

  private read<T>(
    sql: string,
    binds: oracledb.BindParameters,
    options: oracledb.ExecuteOptions = {},
  ): Promise<T[]> {
    return this.unitOfWork(async (connection) => {
      const result = await connection.execute<T>(sql, binds, { ...OBJECT, ...options });
      return result.rows ?? [];
    }, false);
  }

  async largestCodes(): Promise<LargestCodes> {
    const [code] = await this.read<{ LARGEST: string | null }>(oracleSql.largestCampaignCode, {});
    const [xls] = await this.read<{ LARGEST: string | null }>(oracleSql.largestXlsOwId, {});
    return { campaignCode: code?.LARGEST ?? null, xlsOwId: xls?.LARGEST ?? null };
  }

  async writeMetadata(row: MetadataRow): Promise<void> {
    const values = metadataValues(row);
    const binds: Record<string, oracledb.BindParameter | string | number | null> = {};
    metadataColumns(row).forEach((column, i) => {
      binds[column.toLowerCase()] = values[i] ?? null;
    });
    // A JSON text can pass 32 KB (Cyrillic is 2 bytes a letter): bound as a CLOB, not as a VARCHAR2.
    if (typeof binds.characteristic_json === 'string') {
      binds.characteristic_json = { val: binds.characteristic_json, type: oracledb.DB_TYPE_CLOB };
    }
    await this.unitOfWork(async (connection) => {
      await connection.execute(oracleSql.insertMetadata[metadataTableFor(row.kind)], binds, {});
    }, true);
  }

  async writeUsers(table: UserTable, rows: UserRows): Promise<void> {
    const trailing =
      table === OFF_LIMIT_USERS_TABLE
        ? [checkedDate('date_start', rows.dateStart), checkedDate('date_end', rows.dateEnd)]
        : [];
    const options: oracledb.ExecuteManyOptions = { autoCommit: false, bindDefs: bindDefsFor(table) };
    await this.unitOfWork(async (connection) => {
      // All chunks in one transaction: the table gets every row or, after a rollback, none.
      for (let start = 0; start < rows.iins.length; start += this.batchSize) {
        const end = Math.min(start + this.batchSize, rows.iins.length);
        const chunk: (string | null)[][] = new Array(end - start);
        for (let i = start; i < end; i++)
          chunk[i - start] = [rows.campaignCode, formatIin(rows.iins[i]!), ...trailing];
        await connection.executeMany(oracleSql.insertUsers[table], chunk, options);
      }
    }, true);
  }

  async countRows(table: TargetTable, campaignCode: string): Promise<number> {
    const [row] = await this.read<{ N: number }>(oracleSql.countRows[table], { code: campaignCode });
    return Number(row?.N ?? 0);
  }

  async deleteCampaign(campaignCode: string): Promise<DeletedRows> {
    return this.unitOfWork(async (connection) => {
      const deleted = {} as DeletedRows;
      for (const table of targetTables) {
        const result = await connection.execute(oracleSql.deleteCampaign[table], { code: campaignCode }, {});
        deleted[table] = result.rowsAffected ?? 0;
      }
      return deleted;
    }, true);
  }

  async getCampaign(campaignCode: string): Promise<DeployedCampaign | null> {
    const [rb1] = await this.read<MetadataRecord>(oracleSql.getRb1Campaign, { code: campaignCode });
    if (rb1) return map(rb1);
    const [rb3] = await this.read<MetadataRecord>(
      oracleSql.getRb3Campaign,
      { code: campaignCode },
      { fetchInfo: { CHARACTERISTIC_JSON: { type: oracledb.STRING } } },
    );
    return rb3 ? map(rb3) : null;
  }

  async listCampaigns(
    query: { limit?: number; offset?: number; kind?: CampaignType } = {},
  ): Promise<DeployedCampaignPage> {
    const rows = await this.read<MetadataRecord>(oracleSql.listCampaigns, {
      kind: query.kind ?? null,
      skip: query.offset ?? 0,
      take: query.limit ?? 50,
    });
    const [counts] = await this.read<{ RB1_COUNT: number; RB3_COUNT: number }>(oracleSql.countCampaigns, {});
    const rb1Count = Number(counts?.RB1_COUNT ?? 0);
    const rb3Count = Number(counts?.RB3_COUNT ?? 0);
    const total = query.kind === 'RB1' ? rb1Count : query.kind === 'RB3' ? rb3Count : rb1Count + rb3Count;
    return { campaigns: rows.map(map), total, rb1Count, rb3Count };
  }

  async offLimitIins(period: {
    dateStart: string;
    dateEnd: string;
    excludeCampaignCode?: string;
  }): Promise<Float64Array> {
    const rows = await this.read<[string]>(
      oracleSql.offLimitIins,
      {
        date_start: checkedDate('dateStart', period.dateStart),
        date_end: checkedDate('dateEnd', period.dateEnd),
        exclude: period.excludeCampaignCode ?? null,
      },
      { outFormat: oracledb.OUT_FORMAT_ARRAY, fetchArraySize: 10_000 },
    );
    return Float64Array.from(rows, (r) => Number(r[0]));
  }

  async lastContacts(iins: readonly number[], options: LastContactOptions = {}): Promise<LastContact[]> {
    const keys = lastContactKeys(iins);
    if (keys.length === 0) return [];
    const binds = {
      ...Object.fromEntries(lastContactBinds.map((name, i) => [name, keys[i] ?? null])),
      exclude: options.excludeCampaignCode ?? null,
    };
    const rows = await this.read<{
      IIN: string;
      CAMPAIGNCODE: string;
      DATE_START: string | null;
      DATE_END: string | null;
    }>(oracleSql.lastContacts, binds);
    return rows.map((r) =>
      lastContactOf({
        iin: r.IIN,
        campaignCode: r.CAMPAIGNCODE,
        dateStart: r.DATE_START,
        dateEnd: r.DATE_END,
      }),
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
