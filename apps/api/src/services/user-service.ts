import type {
  AccessChangeOutcome,
  ApiToken,
  ApiTokenStore,
  SessionStore,
  User,
  UserStore,
} from '@campaigns/db';
import { hashPassword } from '../auth/password';
import { assertStrongPassword } from '../auth/password-policy';
import type { PasswordScorer } from '../auth/password-worker';
import type { Role } from '../auth/principal';
import { ApiError } from '../errors';
import type { AuditTrail } from './audit-trail';

export interface UserView {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

const view = (user: User): UserView => ({
  id: user.id,
  username: user.username,
  role: user.role,
  disabled: user.disabled,
  createdAt: user.createdAt.toISOString(),
});

/** Users and their API tokens, for admins and the operator CLI. A role change or disabling ends sessions. */
export class UserService {
  constructor(
    private readonly deps: {
      users: UserStore;
      sessions: SessionStore;
      apiTokens: ApiTokenStore;
      audit: AuditTrail;
      /** Scores a new user's password (the owner closes it). */
      passwords: PasswordScorer;
      /** Called when a role, a disabled flag or a token changes: cached token principals must go. */
      onCredentialsChanged?: () => void;
    },
  ) {}

  async list(): Promise<UserView[]> {
    return (await this.deps.users.list()).map(view);
  }

  async findByUsername(username: string): Promise<UserView | null> {
    const user = await this.deps.users.findByUsername(username);
    return user ? view(user) : null;
  }

  async create(
    input: { username: string; role: Role; password: string },
    actorId: string | null,
  ): Promise<UserView> {
    await assertStrongPassword(input.password, this.deps.passwords, { username: input.username });
    if (await this.deps.users.findByUsername(input.username)) {
      throw new ApiError('USER.CONFLICT', `The username ${input.username} is taken.`, {
        issues: [{ field: 'username', message: 'Taken.', rule: 'taken' }],
      });
    }
    const user = await this.deps.users.create({
      username: input.username,
      role: input.role,
      passwordHash: await hashPassword(input.password),
    });
    await this.deps.audit.record({
      actorId,
      action: 'user.created',
      entityType: 'user',
      entityId: user.id,
      details: { username: user.username, role: user.role },
    });
    return view(user);
  }

  async setRole(userId: string, role: Role, actorId: string): Promise<UserView> {
    const { before, user } = changed(await this.deps.users.changeAccess(userId, { role }));
    const sessionsEnded = before.role === role ? 0 : await this.deps.sessions.deleteForUser(userId);
    this.deps.onCredentialsChanged?.();
    await this.deps.audit.record({
      actorId,
      action: 'user.role_changed',
      entityType: 'user',
      entityId: userId,
      details: { from: before.role, to: role, sessionsEnded },
    });
    return view(user);
  }

  async setDisabled(userId: string, disabled: boolean, actorId: string): Promise<UserView> {
    if (userId === actorId && disabled)
      throw new ApiError('USER.FORBIDDEN', 'You cannot disable your own account.');
    const { user } = changed(await this.deps.users.changeAccess(userId, { disabled }));
    const sessionsEnded = disabled ? await this.deps.sessions.deleteForUser(userId) : 0;
    this.deps.onCredentialsChanged?.();
    await this.deps.audit.record({
      actorId,
      action: disabled ? 'user.disabled' : 'user.enabled',
      entityType: 'user',
      entityId: userId,
      details: { sessionsEnded },
    });
    return view(user);
  }

  async listTokens(userId: string) {
    return (await this.deps.apiTokens.listForUser(userId)).map(tokenView);
  }

  /** Every token with its owner, and whether it has expired (by this service's clock). */
  async listAllTokens(now: Date) {
    return (await this.deps.apiTokens.listAll()).map((token) => ({
      ...tokenView(token),
      owner: token.owner,
      ownerRole: token.ownerRole,
      expired: token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime(),
    }));
  }

  async revokeToken(tokenId: string, actorId: string): Promise<{ ok: true }> {
    const revoked = await this.deps.apiTokens.revoke(tokenId);
    if (!revoked) throw new ApiError('TOKEN.NOT_FOUND', 'No active API token with that id.');
    this.deps.onCredentialsChanged?.();
    await this.deps.audit.record({
      actorId,
      action: 'token.revoked',
      entityType: 'api_token',
      entityId: tokenId,
      details: { userId: revoked.userId, name: revoked.name },
    });
    return { ok: true };
  }
}

/**
 * The store's answer to a role or disabled change, or the refusal: the last enabled admin stays (nobody could
 * manage users or datasets any more); the store decides it under row locks, so two admins at once cannot both pass.
 */
function changed(outcome: AccessChangeOutcome): { before: User; user: User } {
  if (outcome.status === 'not_found') throw new ApiError('USER.NOT_FOUND', 'User not found.');
  if (outcome.status === 'last_admin') {
    throw new ApiError(
      'USER.CONFLICT',
      `${outcome.user.username} is the last admin: make another user admin before demoting or disabling them.`,
    );
  }
  return outcome;
}

/** A token as admins see it: never its hash. */
function tokenView(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
    expiresAt: token.expiresAt?.toISOString() ?? null,
  };
}
