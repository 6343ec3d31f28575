import type { NewAuditEntry } from '@campaigns/db';
import type { Principal } from '../auth/principal';

/** The caller as services see it: who, with which role, from which address (for the audit log). */
export type Actor = Pick<Principal, 'userId' | 'role'> & { address?: string | undefined };

/**
 * What a person did to a campaign, for the audit log. Every such entry records the address the request came
 * from (docs/ARCHITECTURE.md, "Workflow": who, when, what and from where); system entries (automatic approval,
 * deploy runs) are written without an actor.
 */
export function campaignAuditEntry(
  actor: Actor,
  action: string,
  code: string,
  details: Record<string, unknown>,
): NewAuditEntry {
  return {
    actorId: actor.userId,
    action,
    entityType: 'campaign',
    entityId: code,
    details: { address: actor.address ?? null, ...details },
  };
}
