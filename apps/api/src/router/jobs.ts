import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import type { App } from '../app';
import type { Principal } from '../auth/principal';
import { authedProcedure, router } from '../trpc';

/** A job is visible to whoever started it, and to approvers and admins (deploys concern them). */
async function visibleJob(app: App, id: string, principal: Principal) {
  const job = await app.jobs.get(id);
  if (!job || (job.ownerId !== principal.userId && principal.role === 'marketer')) {
    throw new TRPCError({
      code: 'NOT_FOUND',
      message: 'No such job (it may have finished more than an hour ago).',
    });
  }
  const { ownerId: _owner, ...view } = job;
  return view;
}

export const jobsRouter = router({
  get: authedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => visibleJob(ctx.app, input.id, ctx.principal)),

  /**
   * The caller's recent jobs without their results (one upload's report can be a megabyte): ask `jobs.get` for
   * the one you want. `has_result` says whether it has one.
   */
  mine: authedProcedure.query(async ({ ctx }) =>
    (await ctx.app.jobs.list({ ownerId: ctx.principal.userId })).map(({ result, ...job }) => ({
      ...job,
      has_result: result !== null && result !== undefined,
    })),
  ),

  /** Progress as a subscription over SSE (httpSubscriptionLink); reconnecting after a reload resumes it. */
  watch: authedProcedure.input(z.object({ id: z.uuid() })).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    await visibleJob(ctx.app, input.id, ctx.principal);
    yield* ctx.app.jobs.watch(input.id, signal);
  }),
});
