import type { IncomingMessage } from 'node:http';
import type { App } from '../app';
import { readCookie, sessionCookieName } from '../auth/cookies';
import type { Principal } from '../auth/principal';

export interface Authentication {
  principal: Principal | null;
  /** A session cookie was sent but is no longer valid: the response clears it. */
  staleCookie: boolean;
}

/** Resolves the caller from `Authorization: Bearer <token>` or the session cookie. */
export async function authenticateRequest(app: App, req: IncomingMessage): Promise<Authentication> {
  const authorization = req.headers.authorization;
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return { principal: await app.auth.authenticateApiToken(bearer), staleCookie: false };
  const token = readCookie(req.headers.cookie, sessionCookieName(app.settings.demoMode));
  if (!token) return { principal: null, staleCookie: false };
  const session = await app.auth.authenticateSession(token);
  return { principal: session?.principal ?? null, staleCookie: session === null };
}
