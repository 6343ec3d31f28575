import { createHash } from 'node:crypto';

/** Canonical JSON: keys sorted at every level, so the same content always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What an approval binds to: everything that would be deployed (type, metadata, options, schedule) and the
 * audience snapshots' hashes. Any edit changes it, which sends the campaign back to draft.
 */
export function campaignContentHash(content: {
  campaignType: string;
  metadata: Record<string, unknown>;
  filterConfig: Record<string, unknown>;
  deployOptions: Record<string, unknown>;
  targetSha256: string;
  controlSha256: string;
}): string {
  return createHash('sha256').update(canonical(content)).digest('hex');
}

/** The fingerprint of a request body (an idempotency key's): the same content in any key order, the same hash. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}
