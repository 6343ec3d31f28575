import { csvText, formatIin } from '@campaigns/core';
import type { Campaign, Store } from '@campaigns/db';
import { type Actor, campaignAuditEntry } from './actor';
import { assertMaySeeAudience } from './audience-access';
import { loadSnapshot } from './campaign-content';

/**
 * The campaign's final audience (the stored target and control snapshots, what deploys) as CSV: one row per
 * IIN with its group. Client IINs leave the service here, so only the author, approvers and admins get them,
 * and every export is audited with who, when and how many.
 */
export async function exportAudience(
  store: Store,
  actor: Actor,
  campaign: Campaign,
): Promise<{ file_name: string; csv: string; rows: number }> {
  assertMaySeeAudience(actor, campaign, "a campaign's audience");
  const [target, control] = await Promise.all([
    loadSnapshot(store, campaign.id, 'target'),
    loadSnapshot(store, campaign.id, 'control'),
  ]);
  const rows: string[][] = [['iin', 'group']];
  for (const iin of target) rows.push([formatIin(iin), 'target']);
  for (const iin of control) rows.push([formatIin(iin), 'control']);
  await store.audit.append(
    campaignAuditEntry(actor, 'campaign.audience_exported', campaign.code, {
      rows: rows.length - 1,
      format: 'csv',
    }),
  );
  return { file_name: `${campaign.code}-audience.csv`, csv: csvText(rows), rows: rows.length - 1 };
}
