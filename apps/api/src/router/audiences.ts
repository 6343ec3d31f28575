import { filterConfigSchema, parseIinColumn } from '@campaigns/core';
import { z } from 'zod';
import { maxIinsPerRequest } from '../services/campaign-input';
import { roleProcedure, router } from '../trpc';

const iinList = z.array(z.union([z.string(), z.number()])).max(maxIinsPerRequest);

export const audiencesRouter = router({
  /** The validation report of an IIN list: accepted, duplicates, and every rejected row with its reason. */
  validate: roleProcedure('marketer', 'admin')
    .input(z.object({ user_iins: iinList, first_row: z.number().int().min(0).default(1) }))
    .mutation(({ input }) => {
      const report = parseIinColumn(input.user_iins, { firstRowNumber: input.first_row });
      return {
        total: report.total,
        accepted: report.accepted,
        duplicates: report.duplicates,
        rejected: report.rejected.slice(0, 10_000),
        rejected_count: report.rejected.length,
        warnings: report.warnings.slice(0, 1000),
        warning_counts: report.warningCounts,
      };
    }),

  /** The funnel for a list and a filter config, without saving anything: the wizard redraws it as filters change. */
  preview: roleProcedure('marketer', 'admin')
    .input(z.object({ user_iins: iinList, filter_config: filterConfigSchema.prefault({}) }))
    .mutation(async ({ ctx, input }) => {
      const { iins, duplicates } = ctx.app.audiences.parseIins(input.user_iins);
      const filtered = await ctx.app.audiences.filter(iins, input.filter_config);
      return {
        duplicates,
        filter_stats: filtered.stats,
        warnings: filtered.warnings,
        skipped_blacklists: filtered.skippedBlacklists,
        blacklist_breakdown: filtered.blacklistBreakdown,
      };
    }),
});
