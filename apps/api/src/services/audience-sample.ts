// The audience sample (docs/ARCHITECTURE.md "Audience sample"): a fresh random draw of a few members of the
// campaign's saved final audience (the target and control snapshots, what deploys), each with its IIN masked
// and the facts each applied filter step read about it, so an approver can see who the campaign reaches.
import { randomInt } from 'node:crypto';
import {
  drawSample,
  type FilterConfig,
  filterConfigSchema,
  maskIin,
  positionOf,
  sortUnique,
} from '@campaigns/core';
import {
  type AudienceSampleFacts,
  type Campaign,
  type SampleMemberFacts,
  type Store,
  seededRandom,
} from '@campaigns/db';
import { type Actor, campaignAuditEntry } from './actor';
import { assertMaySeeAudience } from './audience-access';
import type { AudienceService } from './audience-service';
import { loadSnapshot } from './campaign-content';
import type { CampaignDeployer } from './campaign-deployer';

/** Members shown by default. */
export const SAMPLE_SIZE = 20;

/** A member as shown: the facts the datasets give (audience-sample.ts in db), IIN masked, group and contact. */
export type AudienceSampleMember = Omit<SampleMemberFacts, 'iin'> & {
  /** The IIN as maskIin shows it (first two and last two digits); the full IIN never leaves the service here. */
  iin_masked: string;
  group: 'target' | 'control';
  /** Contact pressure: whether another campaign overlapping this one's dates has reserved the member now. */
  reserved_elsewhere?: boolean;
  /** Contact pressure: the member's latest reservation by another campaign (null: never reserved). */
  last_contact?: { campaign_code: string; date_start: string | null; date_end: string | null } | null;
};

export interface AudienceSample {
  campaign_code: string;
  /** Members of the final audience (target + control) the draw was made from. */
  final_count: number;
  members: AudienceSampleMember[];
  /** The dataset each applied step read (a skipped one's facts are unknown). */
  datasets: AudienceSampleFacts['datasets'];
  /** The period contact pressure compared with other campaigns; null when the step was not applied. */
  contact_pressure: { date_start: string; date_end: string } | null;
  drawn_at: string;
}

export interface AudienceSampleDeps {
  store: Store;
  audiences: Pick<AudienceService, 'sampleFacts'>;
  deployer: Pick<CampaignDeployer, 'offLimitIins' | 'lastContacts'>;
  now: () => Date;
}

/** A random source in [0, 1): seeded (tests repeat a draw), else from the system's CSPRNG. */
function randomSource(seed: number | undefined): () => number {
  return seed === undefined ? () => randomInt(2 ** 47) / 2 ** 47 : seededRandom(seed);
}

/**
 * Draws `size` members (all of them when the audience is smaller) and looks up their facts. The author,
 * approvers and admins only; every draw is audited, since it shows facts about clients.
 */
export async function audienceSample(
  deps: AudienceSampleDeps,
  actor: Actor,
  campaign: Campaign,
  options: { size?: number; seed?: number } = {},
): Promise<AudienceSample> {
  assertMaySeeAudience(actor, campaign, "a campaign's audience sample");
  const [target, control] = await Promise.all([
    loadSnapshot(deps.store, campaign.id, 'target'),
    loadSnapshot(deps.store, campaign.id, 'control'),
  ]);
  const finalCount = target.length + control.length;
  const positions = drawSample(finalCount, options.size ?? SAMPLE_SIZE, randomSource(options.seed));
  const iins = Float64Array.from(positions, (p) =>
    p < target.length ? target[p]! : control[p - target.length]!,
  );
  const config = filterConfigSchema.parse(campaign.filterConfig);
  const [facts, reserved] = await Promise.all([
    deps.audiences.sampleFacts(iins, config),
    reservedElsewhere(deps.deployer, campaign, config, iins),
  ]);
  const members = facts.members.map(
    ({ iin, ...rest }, k): AudienceSampleMember => ({
      iin_masked: maskIin(iin),
      group: positions[k]! < target.length ? 'target' : 'control',
      ...rest,
      ...(reserved
        ? {
            reserved_elsewhere: positionOf(reserved.iins, iin) >= 0,
            last_contact: reserved.lastContacts.get(iin) ?? null,
          }
        : {}),
    }),
  );
  await deps.store.audit.append(
    campaignAuditEntry(actor, 'campaign.audience_sampled', campaign.code, { members: members.length }),
  );
  return {
    campaign_code: campaign.code,
    final_count: finalCount,
    members,
    datasets: facts.datasets,
    contact_pressure: reserved?.period ?? null,
    drawn_at: deps.now().toISOString(),
  };
}

type LastContactView = NonNullable<AudienceSampleMember['last_contact']>;

/**
 * Contact pressure as the filter reads it (campaign-audience.ts): the IINs that other campaigns overlapping
 * this one's dates reserve, and each sampled member's latest reservation by another campaign; null when the
 * step was not applied or the campaign has no dates to compare.
 */
async function reservedElsewhere(
  deployer: Pick<CampaignDeployer, 'offLimitIins' | 'lastContacts'>,
  campaign: Campaign,
  config: FilterConfig,
  sampled: Float64Array,
): Promise<{
  iins: Float64Array;
  lastContacts: Map<number, LastContactView>;
  period: { date_start: string; date_end: string };
} | null> {
  const metadata = campaign.metadata as Record<string, unknown>;
  const date_start = String(metadata.date_start ?? '');
  if (!config.contact_pressure || !/^\d{4}-\d{2}-\d{2}$/.test(date_start)) return null;
  const date_end = String(metadata.date_end ?? date_start);
  const excludeCampaignCode = campaign.code; // once deployed, its own rows are no contact before it
  const [reserved, contacts] = await Promise.all([
    deployer.offLimitIins({ dateStart: date_start, dateEnd: date_end, excludeCampaignCode }),
    deployer.lastContacts([...sampled], { excludeCampaignCode }),
  ]);
  const lastContacts = new Map(
    contacts.map((c) => [
      c.iin,
      { campaign_code: c.campaignCode, date_start: c.dateStart, date_end: c.dateEnd },
    ]),
  );
  return { iins: sortUnique(reserved), lastContacts, period: { date_start, date_end } };
}
