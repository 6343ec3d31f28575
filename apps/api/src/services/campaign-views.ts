import {
  CAMPAIGN_USERS_TABLE,
  type Campaign,
  type CampaignSummary,
  CONTROL_USERS_TABLE,
  metadataTableFor,
  OFF_LIMIT_USERS_TABLE,
  TARGET_USERS_TABLE,
} from '@campaigns/db';
import type { Clock } from '../clock';

/** The seed's label for a live campaign, from its dates; workflow states are shown as they are. */
export function seedStatus(campaign: CampaignSummary, now: Date): string {
  if (campaign.status !== 'deployed') return campaign.status;
  const today = now.toISOString().slice(0, 10);
  if (campaign.dateStart && today < campaign.dateStart) return 'Scheduled';
  if (campaign.dateEnd && today > campaign.dateEnd) return 'Finished';
  return 'Active';
}

/** The list's columns of a whole campaign (as `CampaignStore.summaries` selects them). */
export function summaryOf(campaign: Campaign): CampaignSummary {
  const m = campaign.metadata;
  return {
    code: campaign.code,
    campaignType: campaign.campaignType,
    status: campaign.status,
    name: String(m.campaign_name ?? ''),
    stream: String(m.stream ?? ''),
    channel: String(m.channel ?? ''),
    dateStart: String(m.date_start ?? ''),
    dateEnd: String(m.date_end ?? ''),
    finalCount: Number(campaign.filterStats?.final_count ?? 0),
    createdAt: campaign.createdAt,
  };
}

/** One row of the seed's `GET /campaigns/list` (plus our workflow status). */
export function campaignListItem(campaign: CampaignSummary, clock: Clock) {
  return {
    campaign_code: campaign.code,
    campaign_type: campaign.campaignType,
    campaign_name: campaign.name,
    stream: campaign.stream,
    channel: campaign.channel,
    date_start: campaign.dateStart,
    date_end: campaign.dateEnd,
    /** The final audience, target and control together (the seed's meaning). */
    user_count: campaign.finalCount,
    created_at: campaign.createdAt.toISOString(),
    status: seedStatus(campaign, clock.now()),
    workflow_status: campaign.status,
  };
}

/** `GET /campaigns/{code}`: everything about one campaign, fields chosen explicitly. */
export function campaignDetails(campaign: Campaign, clock: Clock, extra: { author: string | null }) {
  return {
    ...campaignListItem(summaryOf(campaign), clock),
    xls_ow_id: campaign.xlsOwId,
    metadata: campaign.metadata,
    filter_config: campaign.filterConfig,
    filter_stats: campaign.filterStats ?? {},
    warnings: campaign.warnings,
    deploy_options: campaign.deployOptions,
    content_hash: campaign.contentHash,
    author: extra.author,
    updated_at: campaign.updatedAt.toISOString(),
    deploy_at: campaign.deployAt?.toISOString() ?? null,
    deployed_at: campaign.deployedAt?.toISOString() ?? null,
  };
}

/** The target tables a deploy writes, in deploy order (what the approver signs for). */
export function tablesToWrite(campaign: {
  campaignType: string;
  deployOptions: Record<string, unknown>;
  controlCount: number;
}): string[] {
  const on = (key: string) => campaign.deployOptions[key] !== false;
  return [
    ...(on('deploy_metadata') ? [metadataTableFor(campaign.campaignType === 'RB3' ? 'RB3' : 'RB1')] : []),
    ...(on('deploy_targeting')
      ? [TARGET_USERS_TABLE, ...(campaign.controlCount > 0 ? [CONTROL_USERS_TABLE] : [])]
      : []),
    ...(on('deploy_users') ? [CAMPAIGN_USERS_TABLE] : []),
    ...(on('deploy_offlimit') ? [OFF_LIMIT_USERS_TABLE] : []),
  ];
}
