// Headers every answer carries (OWASP ASVS 14.4). The admin page's own Content-Security-Policy is a <meta> that
// SvelteKit writes with the hash of its start-up script (apps/admin/svelte.config.js); frame-ancestors cannot be
// set in a <meta>, so it travels here, on every answer.
import type { ServerResponse } from 'node:http';

/** Two years, as hstspreload.org asks; sent only outside demo mode (demo mode serves plain http://localhost). */
const hstsSeconds = 63_072_000;

export function setSecurityHeaders(res: ServerResponse, options: { demoMode: boolean; api: boolean }): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'same-origin');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader(
    'content-security-policy',
    options.api ? "default-src 'none'; frame-ancestors 'none'" : "frame-ancestors 'none'",
  );
  if (!options.demoMode)
    res.setHeader('strict-transport-security', `max-age=${hstsSeconds}; includeSubDomains`);
  // API answers hold personal data and session-bound state: never stored by a browser or a proxy.
  if (options.api) res.setHeader('cache-control', 'no-store');
}
