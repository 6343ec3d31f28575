import { and, eq, isNull } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { idempotencyKeys } from './schema';

export interface IdempotencyClaim {
  fingerprint: string;
  /** The campaign the first request made; null while it is still being made. */
  campaignId: string | null;
}

/** Who holds an idempotency key: claimed by the first request before it does any work (schema.ts). */
export class IdempotencyKeyStore {
  constructor(private readonly db: StoreDatabase) {}

  /** Claims the key for a request with this body fingerprint: true when this request is the first. */
  async claim(authorId: string, key: string, fingerprint: string): Promise<boolean> {
    const rows = await this.db
      .insert(idempotencyKeys)
      .values({ authorId, key, fingerprint })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    return rows.length === 1;
  }

  async find(authorId: string, key: string): Promise<IdempotencyClaim | null> {
    const [row] = await this.db
      .select({ fingerprint: idempotencyKeys.fingerprint, campaignId: idempotencyKeys.campaignId })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.authorId, authorId), eq(idempotencyKeys.key, key)));
    return row ?? null;
  }

  /** Records the campaign the claim made (in the create's transaction). */
  async complete(authorId: string, key: string, campaignId: string): Promise<void> {
    await this.db
      .update(idempotencyKeys)
      .set({ campaignId })
      .where(and(eq(idempotencyKeys.authorId, authorId), eq(idempotencyKeys.key, key)));
  }

  /** Gives up a claim whose request failed before making a campaign, so a retry with the key may run. */
  async release(authorId: string, key: string): Promise<void> {
    await this.db
      .delete(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.authorId, authorId),
          eq(idempotencyKeys.key, key),
          isNull(idempotencyKeys.campaignId),
        ),
      );
  }
}
