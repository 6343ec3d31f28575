import type { DeployOptions } from './campaign-input';

/** The seed's `deployment_result`. */
export interface SeedDeploymentResult {
  campaign_code: string;
  tables_updated: string[];
  total_users: number;
  errors: string[];
  success: boolean;
}

export interface TableOutcome {
  table: string;
  status: 'written' | 'skipped' | 'failed' | 'already_present';
  rows: number;
  ms: number;
  error: string | null;
}

export interface DeployRequest {
  code: string;
  campaignType: 'RB1' | 'RB3';
  xlsOwId: string | null;
  metadata: Record<string, unknown>;
  target: Float64Array;
  control: Float64Array;
  options: DeployOptions;
}

/** The deploy target (the bank's tables) as the API uses it; adapters come from @campaigns/db. */
export interface CampaignDeployer {
  readonly kind: string;
  /** Writes what is missing (a retry never duplicates rows) and reports per table. */
  deploy(request: DeployRequest): Promise<{ result: SeedDeploymentResult; tables: TableOutcome[] }>;
  /** Removes the campaign from every table in one transaction. */
  remove(code: string, campaignType: 'RB1' | 'RB3'): Promise<{ tables: string[]; rows: number }>;
  /** The largest codes of the exact shapes already in the metadata tables. */
  largestCodes(): Promise<{ campaignCode: string | null; xlsOwId: string | null }>;
  /** IINs reserved in the off-limit table by other campaigns overlapping the period (contact pressure). */
  offLimitIins(period: {
    dateStart: string;
    dateEnd: string;
    excludeCampaignCode?: string;
  }): Promise<Float64Array>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
