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
    errors?: string | undefined;
  };
}

/**
 * A notification worded in the reader's language from its kind and params. Comments and errors are shown as
 * written; a kind this version does not know keeps the API's own (English) title and body.
 */
export function notificationText(
  messages: Messages['inbox'],
  n: InboxItem,
  number: (n: number) => string,
): { title: string; body: string } {
  const { code, name, campaign_type: type, comment, users, errors } = n.params;
  if (code === null) return { title: n.title, body: n.body };
  const named = name ? `${name}${type ? ` (${type})` : ''}` : '';
  switch (n.kind) {
    case 'campaign.submitted':
      return { title: messages.submitted(code), body: named };
    case 'campaign.approved':
      return { title: messages.approved(code), body: comment ?? '' };
    case 'campaign.rejected':
      return { title: messages.rejected(code), body: comment ?? '' };
    case 'campaign.deployed':
      return {
        title: messages.deployed(code),
        body: users === undefined ? '' : messages.users(users, number(users)),
      };
    case 'campaign.deploy_failed':
      return { title: messages.deployFailed(code), body: errors ?? '' };
    default:
      return { title: n.title, body: n.body };
  }
}
