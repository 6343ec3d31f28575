import type { Campaign } from '@campaigns/db';

// Blacklists a campaign goes out without: skipped (the file could not be read) or left out by the marketer.
// Either one needs the approver's explicit acknowledgement.

/** Blacklists the filter pipeline could not apply (they are in the campaign's warnings). */
export function skippedBlacklists(campaign: Campaign): string[] {
  return campaign.warnings
    .filter((w): w is { step: string; dataset: string } => {
      const warning = w as { step?: unknown; dataset?: unknown };
      return warning.step === 'blacklist' && typeof warning.dataset === 'string';
    })
    .map((w) => w.dataset);
}

/** Registered blacklists left out of a (saved) filter config, with the marketer's reason; by name. */
export function omittedBlacklists(
  filterConfig: Record<string, unknown>,
): Array<{ name: string; reason: string | null }> {
  const omissions = filterConfig.blacklist_omissions;
  if (!omissions || typeof omissions !== 'object') return [];
  return Object.entries(omissions as Record<string, unknown>)
    .map(([name, reason]) => ({ name, reason: typeof reason === 'string' ? reason : null }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
