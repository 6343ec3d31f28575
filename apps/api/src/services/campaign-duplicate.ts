import { deployOptionsSchema, filterConfigSchema, formatIin } from '@campaigns/core';
import type { Campaign, Store } from '@campaigns/db';
import { type Actor, campaignAuditEntry } from './actor';
import { loadSnapshot } from './campaign-content';
import type { CampaignService } from './campaign-service';

/**
 * A new draft like `source`: the same type, metadata (the name marked as a copy), input audience, filters,
 * control share and deploy options; filtered again now, with a code of its own, authored by the caller.
 * The schedule (deploy_at) is not copied: it belonged to the original's run.
 */
export async function duplicateCampaign(
  deps: { store: Store; campaigns: CampaignService },
  actor: Actor,
  source: Campaign,
  copyName: (name: string) => string,
): Promise<Campaign> {
  const input = await loadSnapshot(deps.store, source.id, 'input');
  const controlShare = Number(source.filterConfig.control_share ?? 0);
  const { campaign } = await deps.campaigns.create(
    actor,
    {
      campaign_type: source.campaignType,
      metadata: { ...source.metadata, campaign_name: copyName(String(source.metadata.campaign_name ?? '')) },
      user_iins: Array.from(input, formatIin),
      filter_config: filterConfigSchema.parse(source.filterConfig),
      deploy_options: deployOptionsSchema.parse(source.deployOptions),
      ...(controlShare > 0 ? { control_group: { share: controlShare, strata: 'sex_age' } } : {}),
    },
    { submit: false, requireOmissionReasons: true },
  );
  await deps.store.audit.append(
    campaignAuditEntry(actor, 'campaign.duplicated', campaign.code, { source: source.code }),
  );
  return campaign;
}
