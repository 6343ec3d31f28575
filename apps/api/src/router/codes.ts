import { campaignTypeSchema } from '@campaigns/core';
import { z } from 'zod';
import { authedProcedure, router } from '../trpc';

export const codesRouter = router({
  /** The next code (and RB3 XLS_OW_ID) a new campaign would get; a preview, nothing is reserved. */
  next: authedProcedure
    .input(z.object({ campaign_type: campaignTypeSchema }))
    .query(({ ctx, input }) => ctx.app.codes.preview(input.campaign_type)),
});
