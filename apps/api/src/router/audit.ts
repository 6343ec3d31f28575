import { z } from 'zod';
import { auditNames } from '../services/audit-names';
import { router, sessionRoleProcedure } from '../trpc';

export const auditRouter = router({
  /** The audit log, newest first: every state change and sign-in, with who, when, what and from where. */
  list: sessionRoleProcedure('admin')
    .input(
      z
        .object({
          entity_type: z.string().max(40).optional(),
          entity_id: z.string().max(100).optional(),
          actor_id: z.uuid().optional(),
          limit: z.number().int().min(1).max(500).default(100),
          offset: z.number().int().min(0).default(0),
        })
        .prefault({}),
    )
    .query(async ({ ctx, input }) => {
      const entries = await ctx.app.store.audit.list({
        ...(input.entity_type ? { entityType: input.entity_type } : {}),
        ...(input.entity_id ? { entityId: input.entity_id } : {}),
        ...(input.actor_id ? { actorId: input.actor_id } : {}),
        limit: input.limit,
        offset: input.offset,
      });
      const names = await auditNames(ctx.app.store, entries);
      const actors = new Map((await ctx.app.store.users.list()).map((u) => [u.id, u.username]));
      return {
        entries: entries.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          actor: e.actorId ? (actors.get(e.actorId) ?? 'unknown') : 'system',
          action: e.action,
          entity_type: e.entityType,
          entity_id: e.entityId,
          details: e.details,
        })),
        /** Names for the ids and codes the entries mention, so the page reads in words. */
        names,
      };
    }),
});
