import type { ApiTokenStore, SessionStore, User, UserStore } from '@campaigns/db';
import type { Clock } from '../clock';
import { ApiError } from '../errors';
import type { AuditTrail } from '../services/audit-trail';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password';
import { assertStrongPassword } from './password-policy';
import type { PasswordScorer } from './password-worker';
import type { Principal, Role, TokenScope } from './principal';
import { tokenScopes } from './principal';
import { generateSecretToken, hashSecretToken } from './secret-token';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: PublicUser;
}

export interface PublicUser {
  id: string;
  username: string;
  role: Role;
}

// A session's last-seen time is written at most this often: enough for a 30-minute idle timeout, and a busy
// page does not turn every request into a write.
const touchEveryMs = 30_000;

const toPublicUser = (user: User): PublicUser => ({ id: user.id, username: user.username, role: user.role });

const tokenCacheMs = 5_000;

/** Sessions after Lucia's guide, API tokens, passwords and sign-in throttling. */
export class AuthService {
  readonly #tokenCache = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly deps: {
      users: UserStore;
      sessions: SessionStore;
      apiTokens: ApiTokenStore;
      clock: Clock;
      policy: SessionPolicy;
      throttle: LoginThrottle;
      audit: AuditTrail;
      /** Scores a new password (the owner closes it). */
      passwords: PasswordScorer;
    },
  ) {}

  /** Verifies the password and opens a new session (a new token at every sign-in). */
  async login(username: string, password: string, from: { address: string }): Promise<IssuedSession> {
    const { users, throttle, audit } = this.deps;
    const admission = await throttle.admit(username, from.address);
    if (!admission.admitted) {
      await audit.record({
        actorId: null,
        action: 'auth.login_throttled',
        entityType: 'user',
        entityId: username,
        details: { address: from.address },
      });
      throw new ApiError('AUTH.THROTTLED', 'Too many failed sign-ins. Try again later.', {
        retryAfterSeconds: Math.ceil(admission.retryAfterMs / 1000),
      });
    }
    const credentials = await users.findCredentials(username);
    const valid = credentials
      ? // A disabled account costs the same hash check as a wrong password: its answer time tells nothing.
        (await verifyPassword(credentials.passwordHash, password)) && !credentials.user.disabled
      : await verifyAgainstDummy(password);
    if (!credentials || !valid) {
      // The admitted attempt stays counted: it failed.
      await audit.record({
        actorId: credentials?.user.id ?? null,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: credentials?.user.id ?? null,
        details: { username, address: from.address },
      });
      throw new ApiError('AUTH.INVALID_CREDENTIALS', 'Wrong username or password.');
    }
    await throttle.succeeded(username, admission);
    const session = await this.#openSession(credentials.user);
    await audit.record({
      actorId: credentials.user.id,
      action: 'auth.login',
      entityType: 'user',
      entityId: credentials.user.id,
      details: { address: from.address },
    });
    return session;
  }

  async #openSession(user: User): Promise<IssuedSession> {
    const now = this.deps.clock.now();
    const token = generateSecretToken();
    const expiresAt = new Date(now.getTime() + this.deps.policy.absoluteMs);
    await this.deps.sessions.create({ id: hashSecretToken(token), userId: user.id, expiresAt, now });
    return { token, expiresAt, user: toPublicUser(user) };
  }

  /** The principal for a session token, or null when unknown, idle too long, past its lifetime or disabled. */
  async authenticateSession(token: string): Promise<{ principal: Principal; expiresAt: Date } | null> {
    const { sessions, clock, policy } = this.deps;
    const id = hashSecretToken(token);
    const found = await sessions.find(id);
    if (!found) return null;
    const now = clock.now().getTime();
    const { session, user } = found;
    const idleExpired = now - session.lastSeenAt.getTime() >= policy.idleMs;
    const absoluteExpired = now >= session.expiresAt.getTime();
    if (idleExpired || absoluteExpired || user.disabled) {
      await sessions.delete(id);
      return null;
    }
    if (now - session.lastSeenAt.getTime() >= touchEveryMs) await sessions.touch(id, new Date(now));
    return {
      principal: {
        kind: 'session',
        userId: user.id,
        username: user.username,
        role: user.role,
        sessionId: id,
      },
      expiresAt: session.expiresAt,
    };
  }

  /**
   * The principal for an API token (Bearer), or null when unknown, revoked or its user disabled. Tools call in
   * bursts, so a verified token is remembered for a few seconds; revoking a token, or changing or disabling its
   * user, through this instance forgets it at once (another instance sharing the database: within the TTL).
   */
  async authenticateApiToken(token: string): Promise<Principal | null> {
    const hash = hashSecretToken(token);
    const now = this.deps.clock.now().getTime();
    const cached = this.#tokenCache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const found = await this.deps.apiTokens.findActiveByHash(hash);
    const expired = found?.token.expiresAt ? found.token.expiresAt.getTime() <= now : false;
    if (!found || found.user.disabled || expired) {
      this.#tokenCache.delete(hash);
      return null;
    }
    // last_used_at is a hint for admins; minute precision is plenty and saves a write per request.
    if (!found.token.lastUsedAt || now - found.token.lastUsedAt.getTime() > 60_000) {
      await this.deps.apiTokens.touch(found.token.id, new Date(now));
    }
    const scopes = found.token.scopes.filter((scope): scope is TokenScope =>
      (tokenScopes as readonly string[]).includes(scope),
    );
    const { user } = found;
    const principal: Principal = {
      kind: 'token',
      userId: user.id,
      username: user.username,
      role: user.role,
      tokenId: found.token.id,
      scopes,
    };
    if (this.#tokenCache.size > 10_000) this.#tokenCache.clear();
    // Remembered no longer than the token lives.
    const until = Math.min(now + tokenCacheMs, found.token.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    this.#tokenCache.set(hash, { principal, until });
    return principal;
  }

  /** Forgets remembered API token principals (a token was revoked, a user changed or disabled). */
  forgetCachedTokens(): void {
    this.#tokenCache.clear();
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.kind !== 'session') return;
    await this.deps.sessions.delete(principal.sessionId);
    await this.deps.audit.record({
      actorId: principal.userId,
      action: 'auth.logout',
      entityType: 'user',
      entityId: principal.userId,
      details: {},
    });
  }

  /** Changes the password, ends every session of the user, and opens a fresh one for the caller. */
  async changePassword(userId: string, currentPassword: string, newPassword: string): Promise<IssuedSession> {
    const user = await this.deps.users.findById(userId);
    if (!user) throw new ApiError('USER.NOT_FOUND', 'User not found.');
    const credentials = await this.deps.users.findCredentials(user.username);
    if (!credentials || !(await verifyPassword(credentials.passwordHash, currentPassword))) {
      throw new ApiError('AUTH.INVALID_CREDENTIALS', 'The current password is wrong.');
    }
    await this.setPassword(userId, newPassword, userId);
    return this.#openSession(user);
  }

  /** Sets a password (admin reset or own change): every session of that user ends. */
  async setPassword(userId: string, newPassword: string, actorId: string | null): Promise<void> {
    const user = await this.deps.users.findById(userId);
    await assertStrongPassword(newPassword, this.deps.passwords, { username: user?.username });
    await this.deps.users.setPasswordHash(userId, await hashPassword(newPassword));
    const ended = await this.deps.sessions.deleteForUser(userId);
    this.forgetCachedTokens();
    await this.deps.audit.record({
      actorId,
      action: 'user.password_changed',
      entityType: 'user',
      entityId: userId,
      details: { sessionsEnded: ended },
    });
  }

  /** Creates an API token; the plain token is returned once and never stored. */
  async createApiToken(input: {
    userId: string;
    name: string;
    scopes: TokenScope[];
    actorId: string | null;
    /** Days from now until the token stops working; null or absent: it does not expire. */
    expiresInDays?: number | null;
  }) {
    const token = generateSecretToken('cst_');
    const expiresAt =
      input.expiresInDays == null
        ? null
        : new Date(this.deps.clock.now().getTime() + input.expiresInDays * 24 * 60 * 60 * 1000);
    const created = await this.deps.apiTokens.create({
      hash: hashSecretToken(token),
      userId: input.userId,
      name: input.name,
      scopes: input.scopes,
      expiresAt,
    });
    await this.deps.audit.record({
      actorId: input.actorId,
      action: 'token.created',
      entityType: 'api_token',
      entityId: created.id,
      details: {
        userId: input.userId,
        name: input.name,
        scopes: input.scopes,
        expiresAt: expiresAt?.toISOString() ?? null,
      },
    });
    return {
      token,
      id: created.id,
      name: created.name,
      scopes: created.scopes,
      createdAt: created.createdAt,
      expiresAt: created.expiresAt?.toISOString() ?? null,
    };
  }
}
