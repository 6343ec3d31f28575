import { type UploadSummary, uploadRowsPage } from '@campaigns/db';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { roleProcedure, router } from '../trpc';

export const uploadsRouter = router({
  /**
   * A page of an upload's rejected rows or warnings (restored leading zeros, odd dates), in row order, from the
   * stored report (up to 10,000 of each; the job's result carries the first 1,000). Only the owner may read it.
   */
  rows: roleProcedure('marketer', 'admin')
    .input(
      z.object({
        upload_id: z.uuid(),
        list: z.enum(['rejected', 'warnings']),
        offset: z.number().int().min(0).max(1_000_000).default(0),
        limit: z.number().int().min(1).max(1000).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      const summary = await ctx.app.store.uploads.loadSummary(
        input.upload_id,
        ctx.principal.userId,
        ctx.app.clock.now(),
      );
      if (!summary) {
        throw new TRPCError({
          code: 'NOT_FOUND',
          message: 'That upload is gone (uploads are kept for 6 hours).',
        });
      }
      return uploadRowsPage(summary as unknown as UploadSummary, input.list, input.offset, input.limit);
    }),
});
