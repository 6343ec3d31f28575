import type { AuditEntry, Store } from '@campaigns/db';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id-like string an entry mentions: its entity and the details' values (one level into lists). */
function idsOf(entry: AuditEntry): string[] {
  const values = [entry.entityId, ...Object.values(entry.details)].flatMap((v) =>
    Array.isArray(v) ? v : [v],
  );
  return values.filter((v): v is string => typeof v === 'string' && uuidPattern.test(v));
}

/**
 * Names a person reads in place of the ids a page of the audit log holds: users by user name, API tokens as
 * "name (owner)", campaigns (by code) by their campaign name. An id nobody knows any more is left out.
 */
export async function auditNames(
  store: Store,
  entries: readonly AuditEntry[],
): Promise<Record<string, string>> {
  const ids = new Set(entries.flatMap(idsOf));
  const codes = new Set(
    entries.flatMap((e) => (e.entityType === 'campaign' && e.entityId ? [e.entityId] : [])),
  );
  const users = new Map((await store.users.list()).map((u) => [u.id, u.username]));
  const names: Record<string, string> = {};
  for (const id of ids) {
    const user = users.get(id);
    if (user) names[id] = user;
  }
  for (const token of await store.apiTokens.findByIds([...ids].filter((id) => !names[id])))
    names[token.id] = `${token.name} (${users.get(token.userId) ?? '—'})`;
  if (codes.size > 0) {
    const { campaigns } = await store.campaigns.summaries({ codes: [...codes], limit: codes.size });
    for (const c of campaigns) names[c.code] = c.name;
  }
  return names;
}
