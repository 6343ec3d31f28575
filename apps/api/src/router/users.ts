import { z } from 'zod';
import { roles } from '../auth/principal';
import { router, sessionRoleProcedure } from '../trpc';

const userId = z.uuid();

export const usersRouter = router({
  list: sessionRoleProcedure('admin').query(({ ctx }) => ctx.app.users.list()),

  create: sessionRoleProcedure('admin')
    .input(
      z.object({
        username: z
          .string()
          .trim()
          .regex(/^[a-zA-Z0-9._-]{2,64}$/, '2-64 letters, digits, dots, dashes or underscores.'),
        role: z.enum(roles),
        password: z.string().min(1).max(1000),
      }),
    )
    .mutation(({ ctx, input }) => ctx.app.users.create(input, ctx.principal.userId)),

  setRole: sessionRoleProcedure('admin')
    .input(z.object({ userId, role: z.enum(roles) }))
    .mutation(({ ctx, input }) => ctx.app.users.setRole(input.userId, input.role, ctx.principal.userId)),

  setDisabled: sessionRoleProcedure('admin')
    .input(z.object({ userId, disabled: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.app.users.setDisabled(input.userId, input.disabled, ctx.principal.userId),
    ),

  resetPassword: sessionRoleProcedure('admin')
    .input(z.object({ userId, password: z.string().min(1).max(1000) }))
    .mutation(async ({ ctx, input }) => {
      await ctx.app.auth.setPassword(input.userId, input.password, ctx.principal.userId);
      return { ok: true as const };
    }),
});
