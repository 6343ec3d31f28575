import type { Messages } from '$lib/i18n/en';

export interface InboxItem {
  kind: string;
  title: string;
  body: string;
  params: {
    code: string | null;
    name?: string | undefined;
    campaign_type?: string | undefined;
    comment?: string | undefined;
    users?: number | undefined;
    target?: number | undefined;
    control?: number | undefined;
    errors?: string | undefined;
    by?: string | undefined;
    reason?: string | undefined;
    rows_removed?: number | undefined;
    resolution?: string | undefined;
    resolved_by?: string | undefined;
  };
}

/**
 * A notification worded in the reader's language from its kind and params. Comments, reasons and errors are
 * shown as written; a kind this version does not know keeps the API's own (English) title and body.
 * `settled`: how an approval request ended, once someone decided it.
 */
export function notificationText(
  messages: Messages['inbox'],
  n: InboxItem,
  number: (n: number) => string,
): { title: string; body: string; settled?: string } {
  const { code, resolution, resolved_by } = n.params;
  if (code === null) return { title: n.title, body: n.body };
  const text = wordedText(messages, { ...n, params: { ...n.params, code } }, number);
  const settle = resolution ? messages.resolution[resolution] : undefined;
  return settle ? { ...text, settled: settle(resolved_by ?? '—') } : text;
}

function wordedText(
  messages: Messages['inbox'],
  n: InboxItem & { params: { code: string } },
  number: (n: number) => string,
): { title: string; body: string } {
  const { code, name, campaign_type: type, comment, errors } = n.params;
  const named = name ? `${name}${type ? ` (${type})` : ''}` : '';
  switch (n.kind) {
    case 'campaign.submitted':
      return { title: messages.submitted(code), body: named };
    case 'campaign.approved':
      return { title: messages.approved(code), body: comment ?? '' };
    case 'campaign.rejected':
      return { title: messages.rejected(code), body: comment ?? '' };
    case 'campaign.deployed':
      return { title: messages.deployed(code), body: deployedCounts(messages, n.params, number) };
    case 'campaign.deleted': {
      const removed = n.params.rows_removed;
      return {
        title: messages.deleted(code, n.params.by ?? '—'),
        body: [
          removed === undefined ? '' : messages.rowsRemoved(removed, number(removed)),
          n.params.reason ?? '',
        ]
          .filter(Boolean)
          .join(' '),
      };
    }
    case 'campaign.deploy_failed':
      return { title: messages.deployFailed(code), body: errors ?? '' };
    default:
      return { title: n.title, body: n.body };
  }
}

/** The target and control groups apart (entries from before they were stored say only the users written). */
function deployedCounts(
  messages: Messages['inbox'],
  params: InboxItem['params'],
  number: (n: number) => string,
): string {
  const { users, target, control } = params;
  if (target === undefined) return users === undefined ? '' : messages.users(users, number(users));
  const controlText = control ? messages.controlGroup(number(control)) : messages.noControlGroup;
  return `${messages.targetGroup(number(target))}; ${controlText}`;
}
