import type { MetadataRule } from '@campaigns/core/rules';
import type { Messages } from '$lib/i18n/en';
import { metadataLabel } from '$lib/metadata-labels';

// A problem with a field, worded in the UI language with the field's label: never a raw key or zod's text.

export interface FieldIssue {
  field: string;
  message: string;
  /** 'range': a number between 0 and `limit` (the control share). */
  rule?: MetadataRule | 'range' | undefined;
  limit?: number | undefined;
}

/** The label of a field path the API names ('metadata.camp_cnt', 'camp_cnt', 'control_group.share', ...). */
export function fieldLabel(t: Messages, field: string): string {
  const path = field.replace(/^metadata\./, '');
  if (path.startsWith('control_group')) return t.wizard.campaign.control;
  if (path === 'deploy_at') return t.wizard.campaign.deployAt;
  if (path === 'user_iins' || path === 'upload_id') return t.wizard.steps[0] ?? path;
  return metadataLabel(t, path);
}

export function issueText(t: Messages, issue: FieldIssue): string {
  const omitted = /^filter_config\.blacklist_omissions\.(.+)$/.exec(issue.field);
  if (omitted?.[1]) return t.validation.omission(omitted[1]);
  const label = fieldLabel(t, issue.field);
  const v = t.validation;
  switch (issue.rule) {
    case 'range':
      return v.range(label, 0, issue.limit ?? 0);
    case 'too_long':
    case 'bytes':
    case 'sms_parts':
      return v[issue.rule](label, issue.limit ?? 0);
    case undefined:
      // A server issue without a rule (zod's own text): the label, then what the server said.
      return `${label}: ${issue.message}`;
    default:
      return v[issue.rule](label);
  }
}
