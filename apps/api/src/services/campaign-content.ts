// What a campaign holds beside its row: the audience snapshots and the content hash an approval binds to
// (docs/ARCHITECTURE.md "Approval binds to content"). Create, approve, preview and deploy all read them here.
import type { Campaign, Repositories } from '@campaigns/db';
import { campaignContentHash } from './content-hash';

/** The hash of the stored content and the newest target/control snapshots. */
export async function contentHashOf(
  repos: Pick<Repositories, 'snapshots'>,
  campaign: Campaign,
): Promise<string> {
  const [target, control] = await Promise.all([
    repos.snapshots.latest(campaign.id, 'target'),
    repos.snapshots.latest(campaign.id, 'control'),
  ]);
  return campaignContentHash({
    campaignType: campaign.campaignType,
    metadata: campaign.metadata,
    filterConfig: campaign.filterConfig,
    deployOptions: campaign.deployOptions,
    targetSha256: target?.sha256 ?? '',
    controlSha256: control?.sha256 ?? '',
  });
}

export async function loadSnapshot(
  repos: Pick<Repositories, 'snapshots'>,
  campaignId: string,
  kind: 'input' | 'target' | 'control',
): Promise<Float64Array> {
  const snapshot = await repos.snapshots.latest(campaignId, kind);
  return snapshot ? repos.snapshots.loadIins(snapshot.id) : new Float64Array(0);
}
