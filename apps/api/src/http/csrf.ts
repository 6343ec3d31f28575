import type { IncomingMessage } from 'node:http';
import { normalizeOrigin, type OriginPolicy, ownOrigin } from './request-origin';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface CsrfVerdict {
  ok: boolean;
  reason?: string;
}

/**
 * Cross-site request forgery guard for requests a browser could send with our cookie. State-changing
 * requests must be JSON (a cross-site HTML form cannot send that content type without a CORS preflight that
 * we never grant) and come from our own or an allowed Origin, compared as scheme + host + port. Requests with a
 * Bearer token and no cookie come from tools, not browsers, and carry their credential explicitly, so they are not
 * forgery targets.
 */
export function checkCsrf(req: IncomingMessage, policy: OriginPolicy): CsrfVerdict {
  const { headers } = req;
  if (safeMethods.has((req.method ?? 'GET').toUpperCase())) return { ok: true };
  const bearer = /^Bearer\s/i.test(headers.authorization ?? '');
  if (bearer && !headers.cookie) return { ok: true };

  const contentType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    return { ok: false, reason: 'State-changing requests must send Content-Type: application/json.' };
  }
  const origin = headers.origin;
  if (!origin) return { ok: false, reason: 'State-changing requests must send an Origin header.' };
  const normalized = normalizeOrigin(origin);
  if (
    normalized === null ||
    !(policy.allowedOrigins.has(normalized) || normalized === ownOrigin(req, policy))
  ) {
    return { ok: false, reason: `Origin ${origin.slice(0, 200)} is not allowed.` };
  }
  return { ok: true };
}
