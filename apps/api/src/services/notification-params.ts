import type { Campaign, Notification } from '@campaigns/db';

/** What the SPA needs to word a notification in its own language (the stored title and body are English). */
export interface NotificationParams {
  code: string | null;
  /** The campaign's name and type (every campaign notification). */
  name?: string;
  campaign_type?: string;
  /** campaign.approved / campaign.rejected: the approver's comment. */
  comment?: string;
  /** campaign.deployed: users written. */
  users?: number;
  /** campaign.deploy_failed: the failed tables' errors. */
  errors?: string;
}

/**
 * Params from the stored notification and its campaign. The notification table keeps only kind, title and body,
 * so the parts that vary are read back from the body our own notifier wrote (see the `notify` callers).
 */
export function notificationParams(n: Notification, campaign: Campaign | null): NotificationParams {
  const params: NotificationParams = { code: campaign?.code ?? /C\d{9}/.exec(n.title)?.[0] ?? null };
  if (campaign) {
    params.name = String(campaign.metadata.campaign_name ?? '');
    params.campaign_type = campaign.campaignType;
  }
  switch (n.kind) {
    case 'campaign.approved':
    case 'campaign.rejected':
      if (n.body) params.comment = n.body;
      break;
    case 'campaign.deployed': {
      const users = /^(\d+) users/.exec(n.body)?.[1];
      if (users !== undefined) params.users = Number(users);
      break;
    }
    case 'campaign.deploy_failed':
      params.errors = n.body;
      break;
  }
  return params;
}
