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

/** Labels of the request's fields beside the metadata (filters, audience, scheduling), by path. */
function requestLabels(t: Messages): Record<string, string> {
  const c = t.wizard.campaign;
  const f = t.wizard.filters;
  const audience = t.wizard.steps[0] ?? c.type;
  return {
    campaign_type: c.type,
    deploy_at: c.deployAt,
    deploy_options: c.tables,
    control_group: c.control,
    user_iins: audience,
    upload_id: audience,
    all_clients: t.wizard.audience.allClients,
    filter_config: t.wizard.steps[1] ?? f.funnel,
    'filter_config.blacklist_tables': f.blacklists,
    'filter_config.blacklist_omissions': f.blacklists,
    'filter_config.devices': f.devices,
    'filter_config.push_streams': f.pushStreams,
    'filter_config.mau_only': f.mau,
    'filter_config.products': f.products,
    'filter_config.contact_pressure': f.contactPressure,
  };
}

/**
 * The label of a field path the API names ('metadata.camp_cnt', 'camp_cnt', 'control_group.share',
 * 'user_iins[12]', ...): the longest known prefix of the path; a path the form has no label for is "a field".
 */
export function fieldLabel(t: Messages, field: string): string {
  const row = /^user_iins\[(\d+)\]/.exec(field);
  if (row) return t.validation.row(t.wizard.steps[0] ?? '', Number(row[1]) + 1);
  const inMetadata = field.startsWith('metadata.');
  const parts = field
    .replace(/^metadata\./, '')
    .replace(/\[\d+\]/g, '')
    .split('.');
  // The request's own fields first (its `campaign_type` is RB1/RB3; the metadata's is the kind of campaign).
  const labels = inMetadata ? {} : requestLabels(t);
  for (let n = parts.length; n > 0; n--) {
    const label = labels[parts.slice(0, n).join('.')];
    if (label) return label;
  }
  const key = parts[0] ?? '';
  const metadata = metadataLabel(t, key);
  return metadata !== key ? metadata : t.validation.someField;
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
      // A server issue without a rule carries zod's English text: the label says which field, in the UI
      // language, and the message is left out.
      return v.invalid(label);
    default:
      return v[issue.rule](label);
  }
}

/** A refusal the wizard can meet, worded by its stable code in the UI language; null for other codes. */
export function codeText(t: Messages, code: string | null | undefined): string | null {
  if (!code) return null;
  return (t.errors.codes as Record<string, string | undefined>)[code] ?? null;
}
