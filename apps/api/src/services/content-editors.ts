import type { Store } from '@campaigns/db';

// Four-eyes binds every editor, not only the author: whoever created or changed a campaign's content since it
// was last approved cannot approve it (an admin who replaced the audience, a co-author). The audit log is the
// record of who changed what, so it is read here rather than kept a second time.

const contentActions = new Set(['campaign.created', 'campaign.updated']);
const pageSize = 500;

/** User ids that created or edited the campaign since its last approval (by a person), newest first. */
export async function editorsSinceLastApproval(
  audit: Pick<Store['audit'], 'list'>,
  code: string,
): Promise<string[]> {
  const editors: string[] = [];
  for (let offset = 0; ; offset += pageSize) {
    const entries = await audit.list({ entityType: 'campaign', entityId: code, limit: pageSize, offset });
    for (const entry of entries) {
      if (entry.action === 'campaign.approved') return editors;
      if (contentActions.has(entry.action) && entry.actorId && !editors.includes(entry.actorId))
        editors.push(entry.actorId);
    }
    if (entries.length < pageSize) return editors;
  }
}
