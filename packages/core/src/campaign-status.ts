// A campaign's place in the workflow (docs/ARCHITECTURE.md "Domain"): declared once here for the store's check
// constraint, the API's list filter and the SPA's status filter.
export const CAMPAIGN_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'deploying',
  'deployed',
  'deploy_failed',
  'rejected',
  'deleted',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Every status but `deleted`: what lists show unless asked for deleted campaigns. */
export const LIVE_CAMPAIGN_STATUSES = CAMPAIGN_STATUSES.filter(
  (status): status is Exclude<CampaignStatus, 'deleted'> => status !== 'deleted',
);
