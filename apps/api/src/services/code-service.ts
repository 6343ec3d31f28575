import { type CampaignType, provisionalCampaignCode } from '@campaigns/core';
import { allocateCampaignCodes, nextCampaignCodes, type Store } from '@campaigns/db';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { CampaignDeployer } from './campaign-deployer';

export interface CodePreview {
  campaign_code: string;
  campaign_type: CampaignType;
  xls_ow_id?: string;
  generated_at: string;
  provisional?: true;
}

/**
 * Campaign codes and RB3 XLS_OW_IDs: 1 + the largest of the exact shape over both metadata tables and our
 * own reservations (core's rules); reserved under a unique constraint when a campaign is created.
 */
export class CodeService {
  constructor(
    private readonly deps: { store: Store; deployer: CampaignDeployer; clock: Clock; logger: Logger },
  ) {}

  /** What the next codes would be (not reserved). When the databases are unreachable: a provisional code. */
  async preview(type: CampaignType): Promise<CodePreview> {
    const generated_at = this.deps.clock.now().toISOString();
    try {
      const next = await nextCampaignCodes(
        await this.deps.deployer.largestCodes(),
        this.deps.store.codeReservations,
        type,
      );
      const xls = next.xls_ow_id === null ? {} : { xls_ow_id: next.xls_ow_id };
      return { campaign_code: next.campaign_code, campaign_type: type, ...xls, generated_at };
    } catch (error) {
      if (isExhausted(error)) throw error;
      this.deps.logger.warn({ err: error }, 'code preview fell back to a provisional code');
      const provisional = provisionalCampaignCode(this.deps.clock.now());
      return {
        campaign_code: provisional.campaign_code,
        campaign_type: type,
        generated_at,
        provisional: true,
      };
    }
  }

  /** Reserves the next campaign code (and XLS_OW_ID for RB3) for good (db's allocation, race-free). */
  async reserve(type: CampaignType): Promise<{ code: string; xlsOwId: string | null }> {
    const largest = await this.deps.deployer.largestCodes();
    const allocated = await allocateCampaignCodes(largest, this.deps.store.codeReservations, type);
    return { code: allocated.campaign_code, xlsOwId: allocated.xls_ow_id };
  }
}

function isExhausted(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'CAMPAIGN.CODE_SPACE_EXHAUSTED' || code === 'CAMPAIGN.XLS_ID_EXHAUSTED';
}
