import type { Campaign } from '@campaigns/db';

/** What the SPA needs to word a notification in its own language (the stored title and body are English). */
export type NotificationParams = {
  code: string;
  /** The campaign's name and type (every campaign notification). */
  name?: string;
  campaign_type?: string;
  /** campaign.approved / campaign.rejected: the approver's comment. */
  comment?: string;
  /** campaign.deployed: rows of the campaign's user table (older entries carry only this). */
  users?: number;
  /** campaign.deployed: clients written to the target table and to the control table. */
  target?: number;
  control?: number;
  /** campaign.deleted: who deleted it, their reason, and how many rows left the target tables. */
  by?: string;
  reason?: string;
  rows_removed?: number;
  /** campaign.submitted, once decided: what became of the request, and who decided. */
  resolution?: RequestResolution;
  resolved_by?: string;
  /** campaign.deploy_failed: the failed tables' errors. */
  errors?: string;
};

/** What settles an approval request: a decision, the author's edit (back to draft), or a deletion. */
export type RequestResolution = 'approved' | 'rejected' | 'withdrawn' | 'deleted';

/** The params every campaign notification carries, as the campaign is when it is sent. */
export function campaignParams(campaign: Campaign): NotificationParams {
  return {
    code: campaign.code,
    name: String(campaign.metadata.campaign_name ?? ''),
    campaign_type: campaign.campaignType,
  };
}
