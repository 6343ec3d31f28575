// The deploy target port (docs/ARCHITECTURE.md "Persistence"): the seed's six tables, whatever database holds them.
import type { CampaignType } from '@campaigns/core/rules';
import type { LastContact, LastContactOptions } from './last-contacts';
import type { TargetTable, UserTable } from './tables';

/**
 * The metadata row's fields as the target tables hold them (dates as YYYY-MM-DD, every column but the name
 * nullable): what a deploy writes and a read gives back. Core's validated CampaignMetadata fits it as it is.
 */
export interface TargetMetadata {
  campaign_name: string;
  campaign_desc?: string | null;
  stream?: string | null;
  sub_stream?: string | null;
  target_action?: string | null;
  channel?: string | null;
  /** The business type ('promotion'), not RB1/RB3. */
  campaign_type?: string | null;
  campaign_text?: string | null;
  campaign_text_kz?: string | null;
  short_desc?: string | null;
  date_start?: string | null;
  date_end?: string | null;
  out_date?: string | null;
  camp_cnt?: number | null;
  /** RB3 only. */
  bonus?: string | null;
  /** RB3 only: a JSON text. */
  characteristic_json?: string | null;
}

/** The largest campaign code and XLS_OW_ID of the exact shapes in the metadata tables (null: none yet). */
export interface LargestCodes {
  campaignCode: string | null;
  xlsOwId: string | null;
}

export interface MetadataRow {
  campaignCode: string;
  kind: CampaignType;
  /** RB3 only. */
  xlsOwId?: string | null;
  metadata: TargetMetadata;
}

export interface UserRows {
  campaignCode: string;
  /** Numeric IINs; written zero-padded to 12 characters. */
  iins: ArrayLike<number>;
  /** Off-limit table only: the period the users are reserved for. */
  dateStart?: string | null;
  dateEnd?: string | null;
}

export interface DeployedCampaign {
  campaignCode: string;
  kind: CampaignType;
  xlsOwId: string | null;
  metadata: TargetMetadata;
}

export interface DeployedCampaignPage {
  campaigns: DeployedCampaign[];
  total: number;
  rb1Count: number;
  rb3Count: number;
}

/** Rows removed per table by a delete. */
export type DeletedRows = Record<TargetTable, number>;

/**
 * Each write is one transaction: a table lands whole or not at all. Adapters throw `DeployTargetError` with a
 * message a person can act on; transient failures are retried inside the adapter where that makes sense.
 */
export interface DeployTarget {
  readonly name: 'postgres' | 'oracle';
  /** How many user tables it loads at once (each in its own transaction). */
  readonly parallelWrites: number;
  /** The largest `^C[0-9]{9}$` code over both metadata tables, and the largest `^KKB_[0-9]{4}$` XLS_OW_ID. */
  largestCodes(): Promise<LargestCodes>;
  writeMetadata(row: MetadataRow): Promise<void>;
  writeUsers(table: UserTable, rows: UserRows): Promise<void>;
  /** How many rows the table holds for the campaign (what a retry checks before writing). */
  countRows(table: TargetTable, campaignCode: string): Promise<number>;
  /** Removes the campaign from every table in one transaction. */
  deleteCampaign(campaignCode: string): Promise<DeletedRows>;
  getCampaign(campaignCode: string): Promise<DeployedCampaign | null>;
  listCampaigns(query?: {
    limit?: number;
    offset?: number;
    kind?: CampaignType;
  }): Promise<DeployedCampaignPage>;
  /** IINs in the off-limit table reserved by campaigns whose dates overlap [dateStart, dateEnd] (contact pressure). */
  offLimitIins(period: {
    dateStart: string;
    dateEnd: string;
    excludeCampaignCode?: string;
  }): Promise<Float64Array>;
  /**
   * The latest off-limit reservation of each of these IINs (by the end of its period, an open-ended one
   * latest), over every campaign but `excludeCampaignCode`; IINs never reserved are left out. At most
   * LAST_CONTACT_MAX_IINS IINs.
   */
  lastContacts(iins: readonly number[], options?: LastContactOptions): Promise<LastContact[]>;
  close(): Promise<void>;
}
