// Every SQL text the Oracle adapter sends, as constants built once from the table constants: bind variables
// for every value, never string-built from data. oracle-sql.test.ts parses each one with a PL/SQL grammar.

import { LAST_CONTACT_MAX_IINS } from '../last-contacts';
import {
  type MetadataTable,
  metadataTables,
  OFF_LIMIT_USERS_TABLE,
  RB1_METADATA_TABLE,
  RB3_METADATA_TABLE,
  rb1MetadataColumns,
  rb3MetadataColumns,
  type TargetTable,
  targetTables,
  type UserTable,
  userColumnsFor,
  userTables,
} from '../tables';

const DATE_COLUMNS = new Set(['DATE_START', 'DATE_END', 'OUT_DATE']);

/** Dates travel as 'YYYY-MM-DD' text and are converted by the database: no client time zone involved. */
const bindFor = (column: string, bind: string) =>
  DATE_COLUMNS.has(column) ? `TO_DATE(${bind}, 'YYYY-MM-DD')` : bind;

const byTable = <T extends string>(tables: readonly T[], build: (table: T) => string) =>
  Object.fromEntries(tables.map((t) => [t, build(t)])) as Record<T, string>;

const metadataColumnsOf = (table: MetadataTable) =>
  table === RB3_METADATA_TABLE ? rb3MetadataColumns : rb1MetadataColumns;

/** Named binds (:campaigncode, :campaign_name, ...): the bind object's keys are the lower-case column names. */
const insertMetadata = byTable(metadataTables, (table) => {
  const columns = metadataColumnsOf(table);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns
    .map((c) => bindFor(c, `:${c.toLowerCase()}`))
    .join(', ')})`;
});

/** Positional binds (:1, :2, ...) for executeMany. */
const insertUsers = byTable(userTables, (table: UserTable) => {
  const columns = userColumnsFor(table);
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns
    .map((c, i) => bindFor(c, `:${i + 1}`))
    .join(', ')})`;
});

const commonSelect = `CAMPAIGNCODE, CAMPAIGN_NAME, CAMPAIGN_DESC, STREAM, SUB_STREAM, TARGET_ACTION, CHANNEL, CAMPAIGN_TYPE,
  CAMPAIGN_TEXT, CAMPAIGN_TEXT_KZ, SHORT_DESC, TO_CHAR(DATE_START, 'YYYY-MM-DD') AS DATE_START,
  TO_CHAR(DATE_END, 'YYYY-MM-DD') AS DATE_END, TO_CHAR(OUT_DATE, 'YYYY-MM-DD') AS OUT_DATE, CAMP_CNT`;

/** Binds :iin0 .. :iin19 of oracleSql.lastContacts; unused ones are bound to null (IN never matches a null). */
export const lastContactBinds = Array.from({ length: LAST_CONTACT_MAX_IINS }, (_, i) => `iin${i}`);

/**
 * Every SQL text the adapter sends, by what it does (per table where the table varies): the one list that the
 * adapter, the fake connection and the grammar test all read.
 */
export const oracleSql = {
  insertMetadata,
  insertUsers,
  countRows: byTable(
    targetTables,
    (table: TargetTable) => `SELECT COUNT(*) AS N FROM ${table} WHERE CAMPAIGNCODE = :code`,
  ),
  deleteCampaign: byTable(
    targetTables,
    (table: TargetTable) => `DELETE FROM ${table} WHERE CAMPAIGNCODE = :code`,
  ),
  largestCampaignCode: `SELECT MAX(CAMPAIGNCODE) AS LARGEST FROM (
  SELECT CAMPAIGNCODE FROM ${RB1_METADATA_TABLE} UNION ALL SELECT CAMPAIGNCODE FROM ${RB3_METADATA_TABLE}
) WHERE REGEXP_LIKE(CAMPAIGNCODE, '^C[0-9]{9}$')`,
  largestXlsOwId: `SELECT MAX(XLS_OW_ID) AS LARGEST FROM ${RB3_METADATA_TABLE} WHERE REGEXP_LIKE(XLS_OW_ID, '^KKB_[0-9]{4}$')`,
  getRb1Campaign: `SELECT ${commonSelect}, 'RB1' AS KIND FROM ${RB1_METADATA_TABLE} WHERE CAMPAIGNCODE = :code`,
  getRb3Campaign: `SELECT ${commonSelect}, 'RB3' AS KIND, XLS_OW_ID, BONUS, CHARACTERISTIC_JSON
  FROM ${RB3_METADATA_TABLE} WHERE CAMPAIGNCODE = :code`,
  /** Newest code first; :kind NULL for both types. CHARACTERISTIC_JSON (a CLOB) is left out of lists. */
  listCampaigns: `SELECT * FROM (
  SELECT ${commonSelect}, 'RB1' AS KIND, CAST(NULL AS VARCHAR2(20)) AS XLS_OW_ID, CAST(NULL AS VARCHAR2(255)) AS BONUS
  FROM ${RB1_METADATA_TABLE}
  UNION ALL
  SELECT ${commonSelect}, 'RB3' AS KIND, XLS_OW_ID, BONUS FROM ${RB3_METADATA_TABLE}
) WHERE (:kind IS NULL OR KIND = :kind)
ORDER BY CAMPAIGNCODE DESC OFFSET :skip ROWS FETCH NEXT :take ROWS ONLY`,
  countCampaigns: `SELECT (SELECT COUNT(*) FROM ${RB1_METADATA_TABLE}) AS RB1_COUNT,
  (SELECT COUNT(*) FROM ${RB3_METADATA_TABLE}) AS RB3_COUNT FROM DUAL`,
  /** Users reserved by campaigns overlapping [:date_start, :date_end]; open-ended periods overlap everything. */
  offLimitIins: `SELECT DISTINCT IIN FROM ${OFF_LIMIT_USERS_TABLE}
WHERE NVL(DATE_START, DATE '0001-01-01') <= TO_DATE(:date_end, 'YYYY-MM-DD')
  AND NVL(DATE_END, DATE '9999-12-31') >= TO_DATE(:date_start, 'YYYY-MM-DD')
  AND (:exclude IS NULL OR CAMPAIGNCODE <> :exclude)
ORDER BY IIN`,
  /** Each listed IIN's latest off-limit reservation (by the end of its period; an open-ended one is latest). */
  lastContacts: `SELECT IIN, CAMPAIGNCODE, DATE_START, DATE_END FROM (
  SELECT IIN, CAMPAIGNCODE, TO_CHAR(DATE_START, 'YYYY-MM-DD') AS DATE_START,
    TO_CHAR(DATE_END, 'YYYY-MM-DD') AS DATE_END,
    ROW_NUMBER() OVER (PARTITION BY IIN ORDER BY NVL(DATE_END, DATE '9999-12-31') DESC, CAMPAIGNCODE DESC) AS RN
  FROM ${OFF_LIMIT_USERS_TABLE}
  WHERE IIN IN (${lastContactBinds.map((b) => `:${b}`).join(', ')})
    AND (:exclude IS NULL OR CAMPAIGNCODE <> :exclude)
) WHERE RN = 1`,
} as const;

/** Every statement, named (`countRows[spss.off_limit_campaigns_users]` per table), for the grammar test. */
export function allOracleSql(): Record<string, string> {
  const named: Record<string, string> = {};
  for (const [name, sql] of Object.entries(oracleSql)) {
    if (typeof sql === 'string') named[name] = sql;
    else for (const [table, text] of Object.entries(sql)) named[`${name}[${table}]`] = text;
  }
  return named;
}
