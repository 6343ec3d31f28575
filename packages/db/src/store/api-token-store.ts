import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { apiTokens, users } from './schema';
import { type User, userColumns } from './user-store';

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** Null: no expiry (tokens from before expiry existed, or made to last). */
  expiresAt: Date | null;
}

/** A token as the admin's list shows it: with its owner's name and role. */
export interface ApiTokenWithOwner extends ApiToken {
  owner: string;
  ownerRole: string;
}

const map = (row: typeof apiTokens.$inferSelect): ApiToken => ({
  id: row.id,
  userId: row.userId,
  name: row.name,
  scopes: row.scopes,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
  expiresAt: row.expiresAt,
});

/** Bearer tokens for tools, stored as SHA-256 hashes; the hash never leaves this repository. */
export class ApiTokenStore {
  constructor(private readonly db: StoreDatabase) {}

  async create(input: {
    hash: string;
    userId: string;
    name: string;
    scopes: string[];
    expiresAt?: Date | null;
  }): Promise<ApiToken> {
    const [row] = await this.db.insert(apiTokens).values(input).returning();
    return map(row!);
  }

  /** A token that is not revoked, with its owner; null otherwise. */
  async findActiveByHash(hash: string): Promise<{ token: ApiToken; user: User } | null> {
    const [row] = await this.db
      .select({
        token: apiTokens,
        user: userColumns,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.hash, hash), isNull(apiTokens.revokedAt)));
    return row ? { token: map(row.token), user: row.user } : null;
  }

  async touch(id: string, at: Date = new Date()): Promise<void> {
    await this.db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
  }

  async revoke(id: string, at: Date = new Date()): Promise<ApiToken | null> {
    const [row] = await this.db
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning();
    return row ? map(row) : null;
  }

  /** Every token, newest first, with its owner. */
  async listAll(): Promise<ApiTokenWithOwner[]> {
    const rows = await this.db
      .select({ token: apiTokens, owner: users.username, ownerRole: users.role })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(desc(apiTokens.createdAt));
    return rows.map((r) => ({ ...map(r.token), owner: r.owner, ownerRole: r.ownerRole }));
  }

  /** The tokens with these ids (for naming them in the audit log); unknown ids are left out. */
  async findByIds(ids: readonly string[]): Promise<ApiToken[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select()
      .from(apiTokens)
      .where(inArray(apiTokens.id, [...ids]));
    return rows.map(map);
  }

  async listForUser(userId: string): Promise<ApiToken[]> {
    const rows = await this.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.userId, userId))
      .orderBy(desc(apiTokens.createdAt));
    return rows.map(map);
  }
}
