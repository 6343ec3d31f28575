/** The session cookie: `__Host-` prefixed and Secure outside local demo mode (the prefix demands Secure). */
export function sessionCookieName(demoMode: boolean): string {
  return demoMode ? 'session' : '__Host-session';
}

export interface CookieOptions {
  demoMode: boolean;
  maxAgeSeconds?: number;
}

export function serializeSessionCookie(value: string, options: CookieOptions): string {
  const parts = [`${sessionCookieName(options.demoMode)}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (!options.demoMode) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined)
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
  return parts.join('; ');
}

export function clearSessionCookie(demoMode: boolean): string {
  return serializeSessionCookie('', { demoMode, maxAgeSeconds: 0 });
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=');
    if (index < 0) continue;
    if (pair.slice(0, index).trim() === name) return decodeURIComponent(pair.slice(index + 1).trim());
  }
  return undefined;
}
