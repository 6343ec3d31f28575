import type { Campaign } from '@campaigns/db';

/** What the SPA needs to word a notification in its own language (the stored title and body are English). */
export type NotificationParams = {
  code: string;
  /** The campaign's name and type (every campaign notification). */
  name?: string;
  campaign_type?: string;
  /** campaign.approved / campaign.rejected: the approver's comment. */
  comment?: string;
  /** campaign.deployed: users written. */
  users?: number;
  /** campaign.deploy_failed: the failed tables' errors. */
  errors?: string;
};

/** The params every campaign notification carries, as the campaign is when it is sent. */
export function campaignParams(campaign: Campaign): NotificationParams {
  return {
    code: campaign.code,
    name: String(campaign.metadata.campaign_name ?? ''),
    campaign_type: campaign.campaignType,
  };
}
