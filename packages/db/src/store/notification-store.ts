import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { notifications } from './schema';

/** Values a client words a notification from (campaign code, name, comment, users, ...). */
export type NotificationParamsRecord = Record<string, string | number | null>;

export interface Notification {
  id: string;
  userId: string;
  kind: string;
  title: string;
  body: string;
  params: NotificationParamsRecord;
  campaignId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface NewNotification {
  userId: string;
  kind: string;
  title: string;
  body?: string;
  params?: NotificationParamsRecord;
  campaignId?: string | null;
}

const map = (row: typeof notifications.$inferSelect): Notification => ({
  id: row.id,
  userId: row.userId,
  kind: row.kind,
  title: row.title,
  body: row.body,
  params: row.params,
  campaignId: row.campaignId,
  createdAt: row.createdAt,
  readAt: row.readAt,
});

/** The in-app inbox. */
export class NotificationStore {
  constructor(private readonly db: StoreDatabase) {}

  async create(input: NewNotification): Promise<Notification> {
    const [row] = await this.db.insert(notifications).values(input).returning();
    return map(row!);
  }

  async listForUser(
    userId: string,
    options: { unreadOnly?: boolean; limit?: number } = {},
  ): Promise<Notification[]> {
    const rows = await this.db
      .select()
      .from(notifications)
      .where(
        options.unreadOnly
          ? and(eq(notifications.userId, userId), isNull(notifications.readAt))
          : eq(notifications.userId, userId),
      )
      .orderBy(desc(notifications.createdAt))
      .limit(options.limit ?? 100);
    return rows.map(map);
  }

  /** Marks one of the user's own notifications read; false when it is not theirs or already read. */
  async markRead(id: string, userId: string, at: Date = new Date()): Promise<boolean> {
    const rows = await this.db
      .update(notifications)
      .set({ readAt: at })
      .where(and(eq(notifications.id, id), eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return rows.length === 1;
  }

  /** Marks every unread notification of the user read; how many it marked. */
  async markAllRead(userId: string, at: Date = new Date()): Promise<number> {
    const rows = await this.db
      .update(notifications)
      .set({ readAt: at })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
      .returning({ id: notifications.id });
    return rows.length;
  }

  /**
   * Settles every inbox entry of one kind about one campaign (an approval request once someone decided it):
   * read from now on, its params extended with the outcome. Entries settled before keep their first outcome.
   */
  async resolve(
    input: { campaignId: string; kind: string; outcome: NotificationParamsRecord },
    at: Date = new Date(),
  ): Promise<number> {
    const rows = await this.db
      .update(notifications)
      .set({
        readAt: sql`coalesce(${notifications.readAt}, ${at})`,
        params: sql`${notifications.params} || ${JSON.stringify(input.outcome)}::jsonb`,
      })
      .where(
        and(
          eq(notifications.campaignId, input.campaignId),
          eq(notifications.kind, input.kind),
          sql`not (${notifications.params} ? 'resolution')`,
        ),
      )
      .returning({ id: notifications.id });
    return rows.length;
  }
}
