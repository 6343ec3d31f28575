import { z } from 'zod';
import { tokenScopes } from '../auth/principal';
import { router, sessionProcedure, sessionRoleProcedure } from '../trpc';

export const tokensRouter = router({
  /** The caller's own tokens (never the secret, which is shown once at creation). */
  listMine: sessionProcedure.query(({ ctx }) => ctx.app.users.listTokens(ctx.principal.userId)),

  /** Admins create tokens for tools, on behalf of a user whose role the tool then has. */
  create: sessionRoleProcedure('admin')
    .input(
      z.object({
        userId: z.uuid(),
        name: z.string().trim().min(1).max(100),
        scopes: z.array(z.enum(tokenScopes)).min(1).default(['read', 'write']),
        /** Days until it stops working (null: never); 90 unless asked. */
        expires_in_days: z.number().int().min(1).max(730).nullable().default(90),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.app.auth.createApiToken({
        userId: input.userId,
        name: input.name,
        scopes: input.scopes,
        actorId: ctx.principal.userId,
        expiresInDays: input.expires_in_days,
      }),
    ),

  /** Every token of every user, with its owner and expiry (the secret never). */
  list: sessionRoleProcedure('admin').query(({ ctx }) => ctx.app.users.listAllTokens(ctx.app.clock.now())),

  listForUser: sessionRoleProcedure('admin')
    .input(z.object({ userId: z.uuid() }))
    .query(({ ctx, input }) => ctx.app.users.listTokens(input.userId)),

  revoke: sessionRoleProcedure('admin')
    .input(z.object({ tokenId: z.uuid() }))
    .mutation(({ ctx, input }) => ctx.app.users.revokeToken(input.tokenId, ctx.principal.userId)),
});
