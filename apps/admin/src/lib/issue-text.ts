import type { InputIssue } from '@campaigns/core/rules';
import type { Messages } from '$lib/i18n/en';
import { metadataLabel } from '$lib/metadata-labels';

// A problem with a field, worded in the UI language with the field's label and the rule's limit: never a raw
// key or zod's text. The server answers the same shape (core's InputIssue) as the form builds from its schemas.

/** Fields the form shows in another unit than the API takes: the control share is a percentage on screen. */
const displayScale: Record<string, number> = { 'control_group.share': 100 };

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
    username: t.signin.username,
    password: t.signin.password,
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

export function issueText(t: Messages, issue: InputIssue): string {
  const omitted = /^filter_config\.blacklist_omissions\.(.+)$/.exec(issue.field);
  if (omitted?.[1]) return t.validation.omission(omitted[1]);
  const label = fieldLabel(t, issue.field);
  const v = t.validation;
  // Rounded: 0.07 * 100 is 7.000000000000001 in binary floating point.
  const limit = Math.round((issue.limit ?? 0) * (displayScale[issue.field] ?? 1) * 1e6) / 1e6;
  const exclusive = issue.inclusive === false;
  switch (issue.rule) {
    case 'too_big':
      return exclusive ? v.too_big_exclusive(label, limit) : v.too_big(label, limit);
    case 'too_small':
      return exclusive ? v.too_small_exclusive(label, limit) : v.too_small(label, limit);
    case 'too_long':
    case 'too_short':
    case 'too_many':
    case 'too_few':
    case 'not_multiple_of':
    case 'too_deep':
    case 'bytes':
    case 'sms_parts':
      return v[issue.rule](label, limit);
    case 'invalid_type':
      return v.invalid_type(label, v.kinds[issue.expected ?? ''] ?? v.kinds.other ?? '');
    case 'invalid_format':
      return v.invalid_format(label, v.formats[issue.expected ?? ''] ?? v.formats.other ?? '');
    case 'invalid_value':
      return v.invalid_value(label, (issue.allowed ?? []).join(', '));
    case 'iin':
      return v.iin(label, t.rowReason[issue.expected ?? ''] ?? v.invalid(label));
    default:
      return v[issue.rule](label);
  }
}

const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const inUnit = (unit: number) => (value: unknown) => {
  const n = count(value);
  return n === null ? null : Math.round(n / unit);
};

/** The number a code's worded reason names, read from the error's details (as the server's reason says it). */
const detailNumber: Record<string, (details: Record<string, unknown>) => number | null> = {
  'UPLOAD.UNTERMINATED_QUOTE': (d) => count(d.line),
  'UPLOAD.TOO_MANY_ROWS': (d) => count(d.limit),
  'UPLOAD.TOO_MANY_STRINGS': (d) => count(d.limit),
  'UPLOAD.TOO_LARGE_UNPACKED': (d) => inUnit(1024 * 1024)(d.limitBytes),
  'UPLOAD.CELL_TOO_LONG': (d) => inUnit(1024)(d.limitBytes),
};

/**
 * A refusal the wizard can meet, worded by its stable code in the UI language, with the line or limit its
 * details name when the catalog has a wording for it; null for other codes.
 */
export function codeText(
  t: Messages,
  code: string | null | undefined,
  details?: Record<string, unknown> | null,
  formatNumber: (n: number) => string = String,
): string | null {
  if (!code) return null;
  const n = details ? (detailNumber[code]?.(details) ?? null) : null;
  const withNumber = t.errors.codeWithNumber[code];
  if (n !== null && withNumber) return withNumber(formatNumber(n));
  return (t.errors.codes as Record<string, string | undefined>)[code] ?? null;
}
