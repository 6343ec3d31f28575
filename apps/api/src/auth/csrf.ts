import type { IncomingHttpHeaders } from 'node:http';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfVerdict {
  ok: boolean;
  reason?: string;
}

/**
 * Cross-site request forgery guard for requests a browser could send with our cookie. State-changing
 * requests must be JSON (a cross-site HTML form cannot send that content type without a CORS preflight that
 * we never grant) and come from our own or an allowed Origin. Requests with a Bearer token and no cookie come
 * from tools, not browsers, and carry their credential explicitly, so they are not forgery targets.
 */
export function checkCsrf(
  method: string,
  headers: IncomingHttpHeaders,
  allowedOrigins: readonly string[],
): CsrfVerdict {
  if (safeMethods.has(method.toUpperCase())) return { ok: true };
  const bearer = /^Bearer\s/i.test(headers.authorization ?? '');
  if (bearer && !headers.cookie) return { ok: true };

  const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    return { ok: false, reason: 'State-changing requests must send Content-Type: application/json.' };
  }
  const origin = headers.origin;
  if (!origin) return { ok: false, reason: 'State-changing requests must send an Origin header.' };
  if (!isAllowedOrigin(origin, headers.host, allowedOrigins)) {
    return { ok: false, reason: `Origin ${origin} is not allowed.` };
  }
  return { ok: true };
}

function isAllowedOrigin(
  origin: string,
  host: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (allowedOrigins.includes(origin)) return true;
  try {
    // Same origin: the page was served by this server under the host the browser used.
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
