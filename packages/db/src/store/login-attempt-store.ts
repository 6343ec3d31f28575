import { and, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { loginAttempts } from './schema';

export interface ThrottleKey {
  key: string;
  /** Attempts allowed inside the window. */
  max: number;
}

export type AttemptAdmission = { admitted: true; ids: number[] } | { admitted: false; retryAfterMs: number };

/**
 * Sign-in attempts counted in the store, so every instance sees the same counts. `admit` counts and records
 * under a per-key transaction lock: of attempts sent at once, exactly the allowed number get through.
 */
export class LoginAttemptStore {
  constructor(private readonly db: StoreDatabase) {}

  async admit(keys: ThrottleKey[], windowMs: number, now: Date): Promise<AttemptAdmission> {
    const since = new Date(now.getTime() - windowMs);
    return this.db.transaction(async (tx) => {
      // Keys in one order, so two attempts never wait on each other's locks crosswise.
      for (const { key } of [...keys].sort((a, b) => a.key.localeCompare(b.key))) {
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`login:${key}`}, 0))`);
      }
      let retryAfterMs = 0;
      for (const { key, max } of keys) {
        const recent = await tx
          .select({ at: loginAttempts.at })
          .from(loginAttempts)
          .where(and(eq(loginAttempts.key, key), gt(loginAttempts.at, since)))
          .orderBy(desc(loginAttempts.at))
          .limit(max);
        const oldestCounted = recent[max - 1];
        if (oldestCounted) {
          retryAfterMs = Math.max(retryAfterMs, 1, oldestCounted.at.getTime() + windowMs - now.getTime());
        }
      }
      if (retryAfterMs > 0) return { admitted: false, retryAfterMs };
      const rows = await tx
        .insert(loginAttempts)
        .values(keys.map(({ key }) => ({ key, at: now })))
        .returning({ id: loginAttempts.id });
      return { admitted: true, ids: rows.map((r) => r.id) };
    });
  }

  /** Forgets the given attempts (they succeeded). */
  async forget(ids: number[]): Promise<void> {
    if (ids.length > 0) await this.db.delete(loginAttempts).where(inArray(loginAttempts.id, ids));
  }

  /** Forgets every attempt under a key (an account that signed in). */
  async clear(key: string): Promise<void> {
    await this.db.delete(loginAttempts).where(eq(loginAttempts.key, key));
  }

  async deleteOlderThan(before: Date): Promise<number> {
    const rows = await this.db
      .delete(loginAttempts)
      .where(lt(loginAttempts.at, before))
      .returning({ id: loginAttempts.id });
    return rows.length;
  }
}
