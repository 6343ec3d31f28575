// RB1 (mass campaigns) or RB3 (bonus campaigns): which metadata table a campaign goes to and which codes it takes
// (docs/ARCHITECTURE.md "Domain"). Declared once here; the store, the deploy targets, the API and the form import it.
import { z } from 'zod';

export const CAMPAIGN_TYPES = ['RB1', 'RB3'] as const;
export const campaignTypeSchema = z.enum(CAMPAIGN_TYPES, {
  error: (issue) => `campaign_type must be RB1 or RB3, not ${JSON.stringify(issue.input)}`,
});
export type CampaignType = z.infer<typeof campaignTypeSchema>;
