import { z } from 'zod';
import type { NotificationParams } from '../services/notification-params';
import { authedProcedure, router } from '../trpc';

export const notificationsRouter = router({
  /** The caller's inbox, newest first, with the unread count for the badge. */
  mine: authedProcedure
    .input(z.object({ unread_only: z.boolean().default(false) }).prefault({}))
    .query(async ({ ctx, input }) => {
      const list = await ctx.app.store.notifications.listForUser(ctx.principal.userId, {
        unreadOnly: input.unread_only,
      });
      return {
        unread: list.filter((n) => n.readAt === null).length,
        notifications: list.map((n) => ({
          id: n.id,
          /** campaign.submitted | approved | rejected | deployed | deploy_failed | deleted: worded from `params`. */
          kind: n.kind,
          // Written by the notifier as NotificationParams (older rows by the 0002 migration, from the same fields).
          params: {
            ...(n.params as Partial<NotificationParams>),
            code: typeof n.params.code === 'string' ? n.params.code : null,
          },
          title: n.title,
          body: n.body,
          at: n.createdAt.toISOString(),
          read: n.readAt !== null,
        })),
      };
    }),

  /** Marks every unread entry of the caller's inbox read; how many. */
  markAllRead: authedProcedure.mutation(async ({ ctx }) => ({
    marked: await ctx.app.store.notifications.markAllRead(ctx.principal.userId, ctx.app.clock.now()),
  })),

  markRead: authedProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => ({
    ok: await ctx.app.store.notifications.markRead(input.id, ctx.principal.userId, ctx.app.clock.now()),
  })),
});
