import { z } from 'zod';
import { authedProcedure, publicProcedure, router, sessionProcedure } from '../trpc';

export const authRouter = router({
  /** Signs in; the session token travels only in the HttpOnly cookie, never in the response body. */
  login: publicProcedure
    .input(z.object({ username: z.string().trim().min(1).max(100), password: z.string().min(1).max(1000) }))
    .mutation(async ({ ctx, input }) => {
      const session = await ctx.app.auth.login(input.username, input.password, {
        address: ctx.request.address,
      });
      ctx.cookies.set(session.token, session.expiresAt);
      return { user: session.user, expiresAt: session.expiresAt.toISOString() };
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await ctx.app.auth.logout(ctx.principal);
    ctx.cookies.clear();
    return { ok: true as const };
  }),

  /** Who is signed in (null when nobody): the SPA calls it at start to decide between sign-in and the app. */
  me: publicProcedure.query(({ ctx }) => {
    const p = ctx.principal;
    return p ? { id: p.userId, username: p.username, role: p.role, via: p.kind } : null;
  }),

  changePassword: sessionProcedure
    .input(
      z.object({ currentPassword: z.string().min(1).max(1000), newPassword: z.string().min(1).max(1000) }),
    )
    .mutation(async ({ ctx, input }) => {
      const session = await ctx.app.auth.changePassword(
        ctx.principal.userId,
        input.currentPassword,
        input.newPassword,
      );
      ctx.cookies.set(session.token, session.expiresAt);
      return { ok: true as const };
    }),
});
