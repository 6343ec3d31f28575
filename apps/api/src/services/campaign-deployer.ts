import type { CampaignType } from '@campaigns/core';
import type { DeployRequest, DeployTarget, SeedDeploymentResult, TableOutcome } from '@campaigns/db';

/**
 * The deploy target (the bank's tables) as the API uses it; adapters come from @campaigns/db. Reads pass
 * straight through to db's DeployTarget, so their signatures are its own.
 */
export interface CampaignDeployer
  extends Pick<DeployTarget, 'largestCodes' | 'offLimitIins' | 'lastContacts'> {
  readonly kind: string;
  /** Writes what is missing (a retry never duplicates rows) and reports per table. */
  deploy(request: DeployRequest): Promise<{ result: SeedDeploymentResult; tables: TableOutcome[] }>;
  /** Removes the campaign from every table in one transaction. */
  remove(code: string, campaignType: CampaignType): Promise<{ tables: string[]; rows: number }>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
