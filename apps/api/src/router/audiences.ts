import { campaignTypeSchema, deployOptionsSchema, filterConfigSchema } from '@campaigns/core';
import { z } from 'zod';
import { allClients, audienceSources, controlGroupSchema } from '../services/campaign-input';
import { previewCampaignAudience } from '../services/campaign-preview';
import { iinListReport, iinListSchema } from '../services/iin-list';
import { uploadContentBytes, uploadContentSchema } from '../services/upload-content';
import { roleProcedure, router } from '../trpc';
import { actorOf } from './actor';

const previewInput = z
  .object({
    user_iins: iinListSchema.optional(),
    upload_id: z.uuid().optional(),
    all_clients: allClients,
    /** Editing a saved campaign: its stored audience unless a list is sent. */
    code: z.string().trim().min(1).max(40).optional(),
    filter_config: filterConfigSchema.prefault({}),
    /** What the create will get: the dates (for contact pressure) and the control group. */
    metadata: z.record(z.string(), z.unknown()).optional(),
    control_group: controlGroupSchema.nullable().optional(),
    campaign_type: campaignTypeSchema.optional(),
    deploy_options: deployOptionsSchema.optional(),
  })
  .refine((v) => audienceSources(v) === 1 || (audienceSources(v) === 0 && v.code !== undefined), {
    message: 'Send one of user_iins, upload_id and all_clients: true, or the code of a saved campaign.',
    path: ['user_iins'],
  });

export const audiencesRouter = router({
  /** The validation report of an IIN list: accepted, duplicates, and every rejected row with its reason. */
  validate: roleProcedure('marketer', 'admin')
    .input(z.object({ user_iins: iinListSchema, first_row: z.number().int().min(0).default(1) }))
    .mutation(({ input }) => {
      // Parsed with rows from 0 (off this thread when it came over HTTP); numbered from first_row here.
      const report = iinListReport(input.user_iins);
      const from = input.first_row;
      return {
        total: report.total,
        accepted: report.accepted,
        duplicates: report.duplicates,
        rejected: report.rejected.map((row) => ({ ...row, row: row.row + from })),
        rejected_count: report.rejectedCount,
        warnings: report.warnings.map((row) => ({ ...row, row: row.row + from })),
        warning_counts: report.warningCounts,
      };
    }),

  /**
   * Uploads a CSV, XLSX or pasted-text file (base64, since every state change here is JSON). Parsing runs in a
   * worker thread as a job: follow it with `jobs.watch`; its result carries `upload_id` and the row report.
   */
  upload: roleProcedure('marketer', 'admin')
    .input(
      z.object({
        filename: z.string().trim().min(1).max(255),
        format: z.enum(['csv', 'xlsx', 'text']).optional(),
        content_base64: uploadContentSchema,
        /** The IIN column (0-based) among an earlier read's `column_candidates`. */
        column: z.number().int().min(0).max(16_383).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const format = input.format ?? (input.filename.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv');
      const bytes = uploadContentBytes(input.content_base64);
      return {
        job: await ctx.app.uploads.start(ctx.principal.userId, {
          filename: input.filename,
          format,
          bytes,
          column: input.column,
        }),
      };
    }),

  /**
   * An audience from the product dataset: everyone holding ANY of the products. Runs as a job like `upload`,
   * and its result has the upload's shape (`upload_id`, accepted, ...) plus holders per product and the
   * products the dataset does not know.
   */
  byProducts: roleProcedure('marketer', 'admin')
    .input(
      z.object({
        products: z.array(z.string().trim().min(1).max(200)).min(1).max(200),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const products = [...new Set(input.products)];
      const audiences = ctx.app.audiences;
      return {
        job: await ctx.app.uploads.startFromProducts(ctx.principal.userId, products, (wanted) =>
          audiences.selectByProducts(wanted),
        ),
      };
    }),

  /**
   * The funnel for a list and a filter config, without saving anything: the wizard redraws it as filters change.
   * Computed as the create computes it (contact pressure, blacklist omissions, control size), so it is what the
   * saved campaign shows.
   */
  preview: roleProcedure('marketer', 'admin')
    .input(previewInput)
    .mutation(({ ctx, input }) => previewCampaignAudience(ctx.app, actorOf(ctx), input)),

  /** The same preview as a job with progress (for millions of IINs): follow it with `jobs.watch`. */
  previewJob: roleProcedure('marketer', 'admin')
    .input(previewInput)
    .mutation(async ({ ctx, input }) => {
      const job = await ctx.app.jobs.start({ kind: 'filter', ownerId: ctx.principal.userId }, (progress) =>
        previewCampaignAudience(ctx.app, actorOf(ctx), input, (p) => progress(p.fraction, p.message)),
      );
      return { job };
    }),
});
