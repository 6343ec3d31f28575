import {
  CAMPAIGN_USERS_TABLE,
  type Campaign,
  CONTROL_USERS_TABLE,
  metadataTableFor,
  OFF_LIMIT_USERS_TABLE,
  TARGET_USERS_TABLE,
} from '@campaigns/db';
import type { Clock } from '../clock';

/** The seed's label for a live campaign, from its dates; workflow states are shown as they are. */
export function seedStatus(campaign: Campaign, now: Date): string {
  if (campaign.status !== 'deployed') return campaign.status;
  const today = now.toISOString().slice(0, 10);
  const start = String(campaign.metadata.date_start ?? '');
  const end = String(campaign.metadata.date_end ?? '');
  if (start && today < start) return 'Scheduled';
  if (end && today > end) return 'Finished';
  return 'Active';
}

const userCount = (c: Campaign) => Number(c.filterStats?.final_count ?? 0);

/** One row of the seed's `GET /campaigns/list` (plus our workflow status). */
export function campaignListItem(campaign: Campaign, clock: Clock) {
  const m = campaign.metadata;
  return {
    campaign_code: campaign.code,
    campaign_type: campaign.campaignType,
    campaign_name: String(m.campaign_name ?? ''),
    stream: String(m.stream ?? ''),
    channel: String(m.channel ?? ''),
    date_start: String(m.date_start ?? ''),
    date_end: String(m.date_end ?? ''),
    user_count: userCount(campaign),
    created_at: campaign.createdAt.toISOString(),
    status: seedStatus(campaign, clock.now()),
    workflow_status: campaign.status,
  };
}

/** `GET /campaigns/{code}`: everything about one campaign, fields chosen explicitly. */
export function campaignDetails(campaign: Campaign, clock: Clock, extra: { author: string | null }) {
  return {
    ...campaignListItem(campaign, clock),
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
