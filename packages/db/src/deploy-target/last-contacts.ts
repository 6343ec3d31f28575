// A client's last contact: its latest reservation in the off-limit table, which the audience sample shows beside
// contact pressure (docs/ARCHITECTURE.md "Audience sample"). The adapters share the argument check and the
// row mapping; each has its own query.
import { formatIin } from '@campaigns/core/rules';
import { DeployTargetError } from './deploy-target-error';

/** A client's latest reservation in the off-limit table: which campaign, for which period (null: open-ended). */
export interface LastContact {
  iin: number;
  campaignCode: string;
  dateStart: string | null;
  dateEnd: string | null;
}

export interface LastContactOptions {
  /** A campaign whose own reservations are no contact (the one being looked at, once deployed). */
  excludeCampaignCode?: string;
}

/** At most this many IINs per lastContacts call (an audience sample's members; one bind each on Oracle). */
export const LAST_CONTACT_MAX_IINS = 20;

/** The IINs as the off-limit table holds them (12 characters), distinct; refuses more than the maximum. */
export function lastContactKeys(iins: readonly number[]): string[] {
  const keys = [...new Set(iins.map((iin) => formatIin(iin)))];
  if (keys.length > LAST_CONTACT_MAX_IINS)
    throw new DeployTargetError(
      `lastContacts takes at most ${LAST_CONTACT_MAX_IINS} IINs at once, not ${keys.length}`,
      { transient: false },
    );
  return keys;
}

export function lastContactOf(row: {
  iin: string;
  campaignCode: string;
  dateStart: string | null;
  dateEnd: string | null;
}): LastContact {
  return {
    iin: Number(row.iin),
    campaignCode: row.campaignCode,
    dateStart: row.dateStart,
    dateEnd: row.dateEnd,
  };
}
