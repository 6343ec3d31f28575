// The seed's six target tables (docs/ARCHITECTURE.md "Persistence"), named as the delivery systems know them.
import type { CampaignType } from '@campaigns/core/rules';

export const RB1_METADATA_TABLE = 'dssb_ocds.mb01_camp_dict';
export const RB3_METADATA_TABLE = 'dssb_ocds.rb3_tr_campaign_dict';
export const TARGET_USERS_TABLE = 'dssb_ocds.mb22_local_target';
export const CONTROL_USERS_TABLE = 'dssb_ocds.mb21_local_control';
export const CAMPAIGN_USERS_TABLE = 'spss.fd_rb2_campaigns_users';
export const OFF_LIMIT_USERS_TABLE = 'spss.off_limit_campaigns_users';

export const metadataTables = [RB1_METADATA_TABLE, RB3_METADATA_TABLE] as const;
export type MetadataTable = (typeof metadataTables)[number];

/** In deploy order: targeting (target, control), user list, off-limit. */
export const userTables = [
  TARGET_USERS_TABLE,
  CONTROL_USERS_TABLE,
  CAMPAIGN_USERS_TABLE,
  OFF_LIMIT_USERS_TABLE,
] as const;
export type UserTable = (typeof userTables)[number];

export const targetTables = [...metadataTables, ...userTables] as const;
export type TargetTable = MetadataTable | UserTable;

export function metadataTableFor(kind: CampaignType): MetadataTable {
  return kind === 'RB1' ? RB1_METADATA_TABLE : RB3_METADATA_TABLE;
}

/** 'spss.fd_rb2_campaigns_users' -> 'fd_rb2_campaigns_users' (how the seed's error messages name a table). */
export function shortTableName(table: TargetTable): string {
  return table.slice(table.indexOf('.') + 1);
}

/**
 * Metadata columns in the order both adapters write them. Names as in oracle/schema.sql; the seed's JSON
 * fields map one-to-one (campaign_name -> CAMPAIGN_NAME). CAMPAIGNCODE comes first.
 */
export const rb1MetadataColumns = [
  'CAMPAIGNCODE',
  'CAMPAIGN_NAME',
  'CAMPAIGN_DESC',
  'STREAM',
  'SUB_STREAM',
  'TARGET_ACTION',
  'CHANNEL',
  'CAMPAIGN_TYPE',
  'CAMPAIGN_TEXT',
  'CAMPAIGN_TEXT_KZ',
  'SHORT_DESC',
  'DATE_START',
  'DATE_END',
  'OUT_DATE',
  'CAMP_CNT',
] as const;

export const rb3MetadataColumns = [
  ...rb1MetadataColumns,
  'XLS_OW_ID',
  'BONUS',
  'CHARACTERISTIC_JSON',
] as const;

/** User tables: (CAMPAIGNCODE, IIN) is the key; the off-limit table also carries the campaign's dates. */
export const userColumns = ['CAMPAIGNCODE', 'IIN'] as const;
export const offLimitColumns = ['CAMPAIGNCODE', 'IIN', 'DATE_START', 'DATE_END'] as const;

export function userColumnsFor(table: UserTable): readonly string[] {
  return table === OFF_LIMIT_USERS_TABLE ? offLimitColumns : userColumns;
}
