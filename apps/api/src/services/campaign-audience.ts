import type { FilterConfig } from '@campaigns/core';
import { domainError } from '@campaigns/core';
import type { AudienceRunInput, AudienceRunProgress } from '@campaigns/db';
import type { AudienceService, FilteredAudience } from './audience-service';
import type { CampaignDeployer } from './campaign-deployer';
import type { AudienceSource } from './campaign-input';
import type { UploadService } from './upload-service';

// One computation of a campaign's audience for the preview, the create and the edit: the wizard's funnel is
// what the saved campaign gets, because both come from here with the same inputs.

export interface CampaignAudienceRequest {
  /** Distinct valid input IINs, sorted, or all clients (read and kept by the audience worker). */
  input: AudienceRunInput;
  /** All clients: bring the client list back as `filtered.input` (a create saves it as the input snapshot). */
  keepInput?: boolean;
  filterConfig: FilterConfig;
  /** The campaign's dates (`date_start`, `date_end`): contact pressure compares them with other campaigns'. */
  metadata: Record<string, unknown>;
  controlShare: number;
  /** Editing: the campaign's own reservations do not count against it. */
  excludeCampaignCode?: string | undefined;
  /** Refuse a registered blacklist left out without a reason (the SPA and tRPC; the seed's REST body has none). */
  requireOmissionReasons: boolean;
  onProgress?: ((progress: AudienceRunProgress) => void) | undefined;
}

export interface CampaignAudience {
  filtered: FilteredAudience;
  /** The config as saved: `blacklist_omissions` holds exactly the registered blacklists left out. */
  filterConfig: FilterConfig;
  /** Splits the final audience; the control's size does not depend on the seed, only its members do. */
  split(seed: string): { target: Float64Array; control: Float64Array; stats: Record<string, number> };
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The input a request names: its IIN list (validated here), an upload parsed earlier by the same user (both
 * sorted, distinct), or every client of the registry's client list (left to the audience worker, which holds
 * it). Undefined when it names none (an edit that keeps its saved audience).
 */
export async function audienceInput(
  deps: {
    audiences: Pick<AudienceService, 'parseIins'>;
    uploads: Pick<UploadService, 'iins'>;
  },
  userId: string,
  source: AudienceSource,
): Promise<{ input: AudienceRunInput; duplicates: number } | undefined> {
  if (source.all_clients) return { input: { allClients: true }, duplicates: 0 };
  if (source.upload_id)
    return { input: { iins: await deps.uploads.iins(source.upload_id, userId) }, duplicates: 0 };
  if (source.user_iins) {
    const { iins, duplicates } = deps.audiences.parseIins(source.user_iins);
    return { input: { iins }, duplicates };
  }
  return undefined;
}

export async function campaignAudience(
  deps: { audiences: AudienceService; deployer: Pick<CampaignDeployer, 'offLimitIins'> },
  request: CampaignAudienceRequest,
): Promise<CampaignAudience> {
  const filterConfig = withOmissions(
    request.filterConfig,
    await deps.audiences.registeredBlacklists(),
    request.requireOmissionReasons,
  );
  const datesKnown = isoDate.test(String(request.metadata.date_start ?? ''));
  const filtered = await deps.audiences.filter(
    request.input,
    filterConfig,
    datesKnown
      ? await offLimit(deps.deployer, filterConfig, request.metadata, request.excludeCampaignCode)
      : undefined,
    request.onProgress,
    { keepInput: request.keepInput ?? false },
  );
  if (!datesKnown) {
    // Before the campaign has dates (the wizard's filters step) there is no period to compare: say so.
    filtered.warnings = filtered.warnings.map((w) =>
      w.step === 'contact_pressure'
        ? { ...w, message: 'contact pressure is counted once the campaign has its dates' }
        : w,
    );
  }
  return {
    filtered,
    filterConfig,
    split(seed) {
      const { target, control } = deps.audiences.split(filtered.survivors, request.controlShare, seed);
      return { target, control, stats: statsOf(filtered, target, control) };
    },
  };
}

/** The input a create or an edit saves: asked for with `keepInput`, so the worker brought it back. */
export function keptInput(filtered: FilteredAudience): Float64Array {
  if (!filtered.input) throw new Error('the audience input was not kept (keepInput)');
  return filtered.input;
}

/**
 * Every registered blacklist not in `blacklist_tables` is an omission, kept with the marketer's reason (null
 * when none was given); reasons for blacklists that are applied, or not registered, are dropped.
 */
export function withOmissions(
  config: FilterConfig,
  registered: readonly string[],
  requireReasons: boolean,
): FilterConfig {
  const omissions: Record<string, string | null> = {};
  for (const name of registered) {
    if (!config.blacklist_tables.includes(name)) omissions[name] = config.blacklist_omissions[name] ?? null;
  }
  const unexplained = Object.keys(omissions).filter((name) => omissions[name] === null);
  if (requireReasons && unexplained.length > 0) {
    throw domainError(
      'CAMPAIGN.OMISSION_REASON_REQUIRED',
      `Every blacklist is applied unless you say why it is left out: give a reason for ${unexplained.join(', ')}.`,
      {
        issues: unexplained.map((name) => ({
          field: `filter_config.blacklist_omissions.${name}`,
          message: `Say why the blacklist ${name} is left out`,
          rule: 'required' as const,
        })),
        blacklists: unexplained,
      },
    );
  }
  return { ...config, blacklist_omissions: omissions };
}

/** Contact pressure: users already reserved by campaigns overlapping this one's dates. */
async function offLimit(
  deployer: Pick<CampaignDeployer, 'offLimitIins'>,
  config: FilterConfig,
  metadata: Record<string, unknown>,
  excludeCampaignCode: string | undefined,
): Promise<Float64Array | undefined> {
  if (!config.contact_pressure) return undefined;
  const dateStart = String(metadata.date_start ?? '');
  const dateEnd = String(metadata.date_end ?? dateStart);
  return deployer.offLimitIins({
    dateStart,
    dateEnd,
    ...(excludeCampaignCode ? { excludeCampaignCode } : {}),
  });
}

function statsOf(
  filtered: FilteredAudience,
  target: Float64Array,
  control: Float64Array,
): Record<string, number> {
  return {
    ...filtered.stats,
    ...(control.length > 0 ? { target_count: target.length, control_count: control.length } : {}),
  };
}
