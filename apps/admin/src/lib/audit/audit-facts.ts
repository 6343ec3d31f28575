import type { Messages } from '$lib/i18n/en';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export interface FactFormat {
  number(n: number): string;
  dateTime(iso: string): string;
}

/** `retryAfterSeconds` -> `retry after seconds`: a key with no label yet still reads as words. */
const words = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

function valueText(
  key: string,
  value: unknown,
  names: Record<string, string>,
  t: Messages,
  f: FactFormat,
): string {
  if (typeof value === 'boolean') return value ? t.sign.yes : t.sign.no;
  if (typeof value === 'number') return f.number(value);
  if (Array.isArray(value)) return value.map((v) => valueText(key, v, names, t, f)).join(', ');
  if (value && typeof value === 'object') {
    const { name, reason, ...rest } = value as Record<string, unknown>;
    if (typeof name === 'string') return reason ? `${name} (${String(reason)})` : name;
    return Object.entries(rest)
      .map(([k, v]) => `${t.auditFact[k] ?? words(k)}: ${valueText(k, v, names, t, f)}`)
      .join('; ');
  }
  const text = String(value);
  if (key === 'contentHash') return text.slice(0, 12);
  // A hash or a key the client made up names nothing; its start tells two apart (no "…": that means loading).
  if (key === 'idempotencyKey') return text.slice(0, 8);
  if (uuidPattern.test(text)) return names[text] ?? '—';
  if ((key === 'from' || key === 'to') && t.status[text]) return t.status[text];
  if (isoInstant.test(text)) return f.dateTime(text);
  return text;
}

/** An entry's details as labelled facts in the UI language: ids named, lists joined, empty facts left out. */
export function auditFacts(
  details: Record<string, unknown>,
  names: Record<string, string>,
  t: Messages,
  format: FactFormat,
): Array<{ label: string; value: string }> {
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))
    .map(([key, value]) => ({
      label: t.auditFact[key] ?? words(key),
      value: valueText(key, value, names, t, format),
    }));
}

/** What an entry is about, named: "campaign C000000007 · Весна", "API token reporting (marketer)". */
export function auditSubject(
  entry: { entity_type: string; entity_id: string | null },
  names: Record<string, string>,
  t: Messages,
): string {
  const kind = t.auditEntity[entry.entity_type] ?? entry.entity_type;
  const id = entry.entity_id;
  if (!id) return kind;
  if (entry.entity_type === 'campaign') return names[id] ? `${kind} ${id} · ${names[id]}` : `${kind} ${id}`;
  return `${kind} ${names[id] ?? (uuidPattern.test(id) ? '—' : id)}`;
}
