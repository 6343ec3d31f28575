import { and, eq, lte } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { sessions, users } from './schema';
import { type User, userColumns } from './user-store';

export interface Session {
  /** SHA-256 (hex) of the token the browser holds. */
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface SessionWithUser {
  session: Session;
  user: User;
}

const map = (row: typeof sessions.$inferSelect): Session => ({
  id: row.id,
  userId: row.userId,
  createdAt: row.createdAt,
  lastSeenAt: row.lastSeenAt,
  expiresAt: row.expiresAt,
});

/** Sessions keyed by the token's hash; idle and absolute timeouts are the auth layer's policy. */
export class SessionStore {
  constructor(private readonly db: StoreDatabase) {}

  async create(input: { id: string; userId: string; expiresAt: Date; now?: Date }): Promise<Session> {
    const now = input.now ?? new Date();
    const [row] = await this.db
      .insert(sessions)
      .values({
        id: input.id,
        userId: input.userId,
        expiresAt: input.expiresAt,
        createdAt: now,
        lastSeenAt: now,
      })
      .returning();
    return map(row!);
  }

  /** The session and its user (without the password hash), or null when unknown. */
  async find(id: string): Promise<SessionWithUser | null> {
    const [row] = await this.db
      .select({
        session: sessions,
        user: userColumns,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, id));
    return row ? { session: map(row.session), user: row.user } : null;
  }

  async touch(id: string, lastSeenAt: Date): Promise<void> {
    await this.db.update(sessions).set({ lastSeenAt }).where(eq(sessions.id, id));
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.id, id));
  }

  /** Ends every session of a user (password or role changed, user disabled). Returns how many ended. */
  async deleteForUser(userId: string): Promise<number> {
    const rows = await this.db
      .delete(sessions)
      .where(eq(sessions.userId, userId))
      .returning({ id: sessions.id });
    return rows.length;
  }

  async deleteExpired(now: Date): Promise<number> {
    const rows = await this.db
      .delete(sessions)
      .where(lte(sessions.expiresAt, now))
      .returning({ id: sessions.id });
    return rows.length;
  }

  async listForUser(userId: string): Promise<Session[]> {
    const rows = await this.db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId)));
    return rows.map(map);
  }
}
