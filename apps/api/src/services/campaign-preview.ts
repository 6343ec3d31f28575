import type { CampaignType, FilterConfig } from '@campaigns/core';
import { domainError } from '@campaigns/core';
import type { AudienceRunInput, AudienceRunProgress, Store } from '@campaigns/db';
import { ApiError } from '../errors';
import type { Actor } from './actor';
import type { AudienceService, FilteredAudience } from './audience-service';
import { audienceInput, campaignAudience } from './campaign-audience';
import { loadSnapshot } from './campaign-content';
import type { CampaignDeployer } from './campaign-deployer';
import { notFound } from './campaign-errors';
import type { AudienceSource } from './campaign-input';
import { tablesToWrite } from './campaign-views';
import { omittedBlacklists } from './unapplied-blacklists';
import type { UploadService } from './upload-service';

export interface AudiencePreviewRequest extends AudienceSource {
  /** Editing a saved campaign: its stored audience (unless a list is sent) and its own reservations excluded. */
  code?: string | undefined;
  filter_config: FilterConfig;
  /** The campaign's metadata as far as it is filled in; contact pressure needs its dates. */
  metadata?: Record<string, unknown> | undefined;
  control_group?: { share: number } | null | undefined;
  /** Which tables the deploy would write: the answer names them. */
  campaign_type?: CampaignType | undefined;
  deploy_options?: Record<string, unknown> | undefined;
}

/** The funnel of a preview (the `filter` job's result too). */
export interface AudiencePreview {
  /** Repeated IINs in the list sent (counted once). */
  duplicates: number;
  filter_stats: Record<string, number>;
  warnings: FilteredAudience['warnings'];
  skipped_blacklists: string[];
  blacklist_breakdown: FilteredAudience['blacklistBreakdown'];
  omitted_blacklists: Array<{ name: string; reason: string | null }>;
  tables_to_write: string[];
}

/**
 * The funnel a create (or an edit of `code`) would save, computed as the create computes it and saving
 * nothing: the same off-limit rows, the same blacklist omissions, the same control split sizes.
 */
export async function previewCampaignAudience(
  deps: {
    store: Store;
    audiences: AudienceService;
    deployer: Pick<CampaignDeployer, 'offLimitIins'>;
    uploads: Pick<UploadService, 'iins'>;
  },
  actor: Actor,
  request: AudiencePreviewRequest,
  onProgress?: (progress: AudienceRunProgress) => void,
): Promise<AudiencePreview> {
  const saved = request.code ? await deps.store.campaigns.findByCode(request.code) : null;
  if (request.code && !saved) throw notFound(request.code);
  if (saved && saved.authorId !== actor.userId && actor.role !== 'admin') {
    throw domainError(
      'CAMPAIGN.FORBIDDEN',
      'Only the author (or an admin) can preview changes to a campaign.',
    );
  }
  const named = await audienceInput(deps, actor.userId, request);
  const duplicates = named?.duplicates ?? 0;
  let input: AudienceRunInput;
  if (named) input = named.input;
  else if (saved) input = { iins: await loadSnapshot(deps.store, saved.id, 'input') };
  else
    throw new ApiError(
      'AUDIENCE.NO_INPUT',
      'Send user_iins, upload_id or all_clients, or the code of a saved campaign.',
    );

  const audience = await campaignAudience(deps, {
    input,
    filterConfig: request.filter_config,
    metadata: request.metadata ?? saved?.metadata ?? {},
    controlShare: request.control_group?.share ?? 0,
    excludeCampaignCode: saved?.code,
    requireOmissionReasons: false,
    onProgress,
  });
  // The control's size depends only on the audience and the share (it is rounded per stratum), so any seed
  // gives the size the saved campaign will have.
  const { stats } = audience.split(saved?.code ?? 'preview');
  return {
    duplicates,
    filter_stats: stats,
    warnings: audience.filtered.warnings,
    skipped_blacklists: audience.filtered.skippedBlacklists,
    blacklist_breakdown: audience.filtered.blacklistBreakdown,
    omitted_blacklists: omittedBlacklists(audience.filterConfig),
    tables_to_write: tablesToWrite({
      campaignType: request.campaign_type ?? saved?.campaignType ?? 'RB1',
      deployOptions: request.deploy_options ?? saved?.deployOptions ?? {},
      controlCount: stats.control_count ?? 0,
    }),
  };
}
