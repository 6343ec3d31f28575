import type { CampaignType } from '@campaigns/core';
import type {
  DeployRequest,
  LargestCodes,
  LastContact,
  LastContactOptions,
  SeedDeploymentResult,
  TableOutcome,
} from '@campaigns/db';

/** The deploy target (the bank's tables) as the API uses it; adapters come from @campaigns/db. */
export interface CampaignDeployer {
  readonly kind: string;
  /** Writes what is missing (a retry never duplicates rows) and reports per table. */
  deploy(request: DeployRequest): Promise<{ result: SeedDeploymentResult; tables: TableOutcome[] }>;
  /** Removes the campaign from every table in one transaction. */
  remove(code: string, campaignType: CampaignType): Promise<{ tables: string[]; rows: number }>;
  /** The largest codes of the exact shapes already in the metadata tables. */
  largestCodes(): Promise<LargestCodes>;
  /** IINs reserved in the off-limit table by other campaigns overlapping the period (contact pressure). */
  offLimitIins(period: {
    dateStart: string;
    dateEnd: string;
    excludeCampaignCode?: string;
  }): Promise<Float64Array>;
  /** Each IIN's latest off-limit reservation over every campaign (at most 20 IINs; the audience sample). */
  lastContacts(iins: readonly number[], options?: LastContactOptions): Promise<LastContact[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
