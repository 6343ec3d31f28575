import type { Campaign } from '@campaigns/db';
import { z } from 'zod';
import { notificationParams } from '../services/notification-params';
import { authedProcedure, router } from '../trpc';

export const notificationsRouter = router({
  /** The caller's inbox, newest first, with the unread count for the badge. */
  mine: authedProcedure
    .input(z.object({ unread_only: z.boolean().default(false) }).prefault({}))
    .query(async ({ ctx, input }) => {
      const list = await ctx.app.store.notifications.listForUser(ctx.principal.userId, {
        unreadOnly: input.unread_only,
      });
      const campaigns = new Map<string, Campaign | null>();
      for (const id of new Set(list.map((n) => n.campaignId))) {
        if (id) campaigns.set(id, await ctx.app.store.campaigns.findById(id));
      }
      return {
        unread: list.filter((n) => n.readAt === null).length,
        notifications: list.map((n) => ({
          id: n.id,
          /** campaign.submitted | approved | rejected | deployed | deploy_failed: the SPA words it from `params`. */
          kind: n.kind,
          params: notificationParams(n, n.campaignId ? (campaigns.get(n.campaignId) ?? null) : null),
          title: n.title,
          body: n.body,
          at: n.createdAt.toISOString(),
          read: n.readAt !== null,
        })),
      };
    }),

  markRead: authedProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => ({
    ok: await ctx.app.store.notifications.markRead(input.id, ctx.principal.userId, ctx.app.clock.now()),
  })),
});
