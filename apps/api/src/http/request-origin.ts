// Where a request says it goes (Host) and comes from (Origin), compared as scheme + host + port. The Host check
// stops DNS rebinding: a page on evil.example whose name was re-pointed at this server would send
// `Host: evil.example`, which matches nothing we serve, while people reach us by an IP address, a loopback name or
// an origin listed in ALLOWED_ORIGINS.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `scheme://host[:port]` with default ports dropped, or null when `value` is not an origin. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/** The host name of a Host header value (`[::1]:3000` -> `::1`, `Example.com.` -> `example.com`). */
function hostName(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  } catch {
    return null;
  }
}

export interface OriginPolicy {
  /** Normalized origins of ALLOWED_ORIGINS. */
  allowedOrigins: ReadonlySet<string>;
  /** Host names (and host:port) of ALLOWED_ORIGINS. */
  allowedHosts: ReadonlySet<string>;
  trustProxy: boolean;
  /** Outside demo mode the browser is on https (Secure cookies), also behind a TLS-terminating proxy. */
  demoMode: boolean;
}

export function originPolicy(settings: {
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  demoMode: boolean;
}): OriginPolicy {
  const origins = settings.allowedOrigins.map(normalizeOrigin).filter((o): o is string => o !== null);
  return {
    allowedOrigins: new Set(origins),
    allowedHosts: new Set(origins.map((o) => new URL(o).hostname.replace(/^\[|\]$/g, ''))),
    trustProxy: settings.trustProxy,
    demoMode: settings.demoMode,
  };
}

/** True when the Host header names this server: an IP address, a loopback name, or an allowed origin's host. */
export function isKnownHost(hostHeader: string | undefined, policy: OriginPolicy): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader);
  if (name === null) return false;
  if (isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
  return policy.allowedHosts.has(name.toLowerCase());
}

/** This server's origin as the browser sees it: the scheme it was reached by and the Host header. */
export function ownOrigin(req: IncomingMessage, policy: OriginPolicy): string | null {
  const forwarded = policy.trustProxy
    ? String(req.headers['x-forwarded-proto'] ?? '')
        .split(',')[0]
        ?.trim()
    : '';
  const encrypted = 'encrypted' in req.socket && Boolean((req.socket as { encrypted?: boolean }).encrypted);
  const scheme = encrypted ? 'https' : forwarded || (policy.demoMode ? 'http' : 'https');
  return req.headers.host ? normalizeOrigin(`${scheme}://${req.headers.host}`) : null;
}
