import { CAMPAIGN_STATUSES, CHANNELS, campaignTypeSchema, domainError } from '@campaigns/core';
import { type Campaign, campaignSortKeys } from '@campaigns/db';
import { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Context } from '../context';
import { exportAudience } from '../services/audience-export';
import { audienceSample, SAMPLE_SIZE } from '../services/audience-sample';
import { duplicateCampaign } from '../services/campaign-duplicate';
import {
  createCampaignObject,
  hasOneAudienceSource,
  oneAudienceSourceMessage,
  updateCampaignRequestSchema,
} from '../services/campaign-input';
import { campaignDetails, tablesToWrite } from '../services/campaign-views';
import { editorsSinceLastApproval } from '../services/content-editors';
import { omittedBlacklists, skippedBlacklists } from '../services/unapplied-blacklists';
import { authedProcedure, roleProcedure, router, sessionProcedure } from '../trpc';
import { actorOf } from './actor';
import { listCampaigns } from './list-campaigns';

const code = z.string().trim().min(1).max(40);

/** Metadata fields whose earlier values the campaign form suggests. */
const suggestedFields = ['stream', 'sub_stream', 'target_action', 'campaign_type'] as const;

/** What this person may do with this campaign now, so the SPA shows only buttons that will work. */
function allowedActions(campaign: Campaign, principal: Principal, editors: readonly string[]): string[] {
  const own = campaign.authorId === principal.userId;
  const reviewer = principal.role === 'approver' || principal.role === 'admin';
  const actions: string[] = [];
  const s = campaign.status;
  if (
    (own || principal.role === 'admin') &&
    ['draft', 'rejected', 'pending_approval', 'approved'].includes(s)
  )
    actions.push('edit');
  if (own && (s === 'draft' || s === 'rejected')) actions.push('submit');
  // Four-eyes: whoever changed the content since its last approval may reject it, not approve it.
  if (reviewer && !own && s === 'pending_approval') {
    if (!editors.includes(principal.userId)) actions.push('approve');
    actions.push('reject');
  }
  if (reviewer && (s === 'approved' || s === 'deploy_failed'))
    actions.push(s === 'approved' ? 'deploy' : 'retry_deploy');
  if (
    ((own || principal.role === 'admin') && ['draft', 'rejected', 'pending_approval'].includes(s)) ||
    (reviewer && ['approved', 'deployed', 'deploy_failed'].includes(s))
  )
    actions.push('delete');
  return actions;
}

async function details(ctx: Context & { principal: Principal }, campaign: Campaign) {
  const { store, clock } = ctx.app;
  const [author, deployments, decisions, editors] = await Promise.all([
    store.users.findById(campaign.authorId),
    store.deployments.listForCampaign(campaign.id),
    store.approvals.listForCampaign(campaign.id),
    editorsSinceLastApproval(store.audit, campaign.code),
  ]);
  const reviewerNames = new Map<string, string>();
  for (const d of decisions) {
    const reviewer = await store.users.findById(d.approverId);
    reviewerNames.set(d.approverId, reviewer?.username ?? 'unknown');
  }
  return {
    ...campaignDetails(campaign, clock, { author: author?.username ?? null }),
    skipped_blacklists: skippedBlacklists(campaign),
    omitted_blacklists: omittedBlacklists(campaign.filterConfig),
    tables_to_write: tablesToWrite({
      campaignType: campaign.campaignType,
      deployOptions: campaign.deployOptions,
      controlCount: Number(campaign.filterStats?.control_count ?? 0),
    }),
    /** Whether this reader changed the content since its last approval (so they cannot approve it). */
    edited_by_you: editors.includes(ctx.principal.userId),
    deployment_result: await ctx.app.deploys.lastResult(campaign),
    deployments: deployments.map((d) => ({
      table: d.tableName,
      status: d.status,
      rows: d.rows,
      ms: d.ms,
      error: d.error,
      attempt: d.attempt,
      at: d.createdAt.toISOString(),
    })),
    decisions: decisions.map((d) => ({
      decision: d.decision,
      approver: reviewerNames.get(d.approverId) ?? 'unknown',
      comment: d.comment,
      content_hash: d.contentHash,
      acknowledged_warnings: d.acknowledgedWarnings,
      at: d.createdAt.toISOString(),
    })),
    actions: allowedActions(campaign, ctx.principal, editors),
  };
}

export const campaignsRouter = router({
  list: authedProcedure
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(500).default(50),
          offset: z.number().int().min(0).default(0),
          campaign_type: campaignTypeSchema.optional(),
          status: z.array(z.enum(CAMPAIGN_STATUSES)).optional(),
          channel: z.enum(CHANNELS).optional(),
          mine: z.boolean().default(false),
          /** Part of the code or the name, any case, over all campaigns. */
          search: z.string().trim().max(200).optional(),
          /** Any column of the list; newest first by default. */
          sort: z.enum(campaignSortKeys).default('created'),
          order: z.enum(['asc', 'desc']).default('desc'),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) =>
      listCampaigns(ctx.app, {
        limit: input.limit,
        offset: input.offset,
        campaignType: input.campaign_type,
        status: input.status,
        channel: input.channel,
        authorId: input.mine ? ctx.principal.userId : undefined,
        search: input.search || undefined,
        sort: input.sort,
        order: input.order,
      }),
    ),

  get: authedProcedure.input(z.object({ code })).query(async ({ ctx, input }) => {
    const campaign = await ctx.app.campaigns.get(input.code);
    return details(ctx, campaign);
  }),

  /** Creates a campaign; `submit: true` also sends it for approval (the seed's create does both). */
  create: roleProcedure('marketer', 'admin')
    .input(
      createCampaignObject
        .extend({
          submit: z.boolean().default(false),
          idempotency_key: z.string().min(1).max(200).optional(),
        })
        .refine(hasOneAudienceSource, oneAudienceSourceMessage),
    )
    .mutation(async ({ ctx, input }) => {
      const { submit, idempotency_key, ...request } = input;
      const outcome = await ctx.app.campaigns.create(actorOf(ctx), request, {
        submit,
        idempotencyKey: idempotency_key ?? ctx.request.idempotencyKey,
        requireOmissionReasons: true,
      });
      return {
        replayed: outcome.replayed,
        deployment_result: outcome.deployment,
        campaign: await details(ctx, outcome.campaign),
      };
    }),

  update: roleProcedure('marketer', 'admin')
    .input(updateCampaignRequestSchema)
    .mutation(async ({ ctx, input }) =>
      details(ctx, await ctx.app.campaigns.update(actorOf(ctx), input, { requireOmissionReasons: true })),
    ),

  submit: roleProcedure('marketer', 'admin')
    .input(z.object({ code }))
    .mutation(async ({ ctx, input }) =>
      details(ctx, await ctx.app.campaigns.submit(actorOf(ctx), input.code)),
    ),

  delete: authedProcedure
    .input(z.object({ code, reason: z.string().trim().max(1000).optional() }))
    .mutation(async ({ ctx, input }) => {
      const { campaign, tablesCleaned } = await ctx.app.campaigns.delete(
        actorOf(ctx),
        input.code,
        input.reason,
      );
      return { campaign_code: campaign.code, status: campaign.status, tables_cleaned: tablesCleaned };
    }),

  /** Deploys an approved campaign now (ahead of its schedule), or retries the tables that failed. */
  deploy: roleProcedure('approver', 'admin')
    .input(z.object({ code }))
    .mutation(async ({ ctx, input }) => {
      const campaign = await ctx.app.campaigns.get(input.code);
      if (campaign.status !== 'approved' && campaign.status !== 'deploy_failed') {
        throw domainError(
          'CAMPAIGN.INVALID_STATE',
          `${campaign.code} is ${campaign.status}; only approved or failed deploys can run.`,
        );
      }
      const job = await ctx.app.deploys.startDeploy(
        campaign,
        ctx.principal.userId,
        ['approved', 'deploy_failed'],
        { ahead: true },
      );
      // Never null when asked ahead of the schedule; the type allows it for deploy_at jobs.
      if (!job) throw domainError('CAMPAIGN.INVALID_STATE', `${campaign.code} could not be queued.`);
      return { job };
    }),

  /** Values used before for the form's free-text fields (stream, sub_stream, target_action, campaign_type). */
  suggestions: roleProcedure('marketer', 'admin').query(async ({ ctx }) => {
    const store = ctx.app.store.campaigns;
    const [stream, sub_stream, target_action, campaign_type] = await Promise.all(
      suggestedFields.map((field) => store.metadataValues(field)),
    );
    return { stream, sub_stream, target_action, campaign_type };
  }),

  /** A new draft like this campaign (filtered again now), for the caller to edit; see campaign-duplicate.ts. */
  duplicate: roleProcedure('marketer', 'admin')
    .input(z.object({ code, name_suffix: z.string().trim().min(1).max(40).default('(copy)') }))
    .mutation(async ({ ctx, input }) => {
      const source = await ctx.app.campaigns.get(input.code);
      const copy = await duplicateCampaign(
        { store: ctx.app.store, campaigns: ctx.app.campaigns },
        actorOf(ctx),
        source,
        (name) => `${name} ${input.name_suffix}`.trim(),
      );
      return details(ctx, copy);
    }),

  /**
   * The final audience as CSV, for people only (no API token): client IINs leave the service, so the author,
   * approvers and admins only, and audited. A mutation: it writes the audit entry.
   */
  exportAudience: sessionProcedure
    .input(z.object({ code }))
    .mutation(async ({ ctx, input }) =>
      exportAudience(ctx.app.store, actorOf(ctx), await ctx.app.campaigns.get(input.code)),
    ),

  /**
   * A fresh random draw of the final audience (20 members, or all when fewer), IINs masked, with the facts each
   * applied filter read (audience-sample.ts). People only, the author, approvers and admins; audited, so a
   * mutation. `seed` repeats a draw (tests).
   */
  audienceSample: sessionProcedure
    .input(
      z.object({
        code,
        size: z.number().int().min(1).max(SAMPLE_SIZE).default(SAMPLE_SIZE),
        seed: z
          .number()
          .int()
          .min(0)
          .max(2 ** 32 - 1)
          .optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      audienceSample(
        {
          store: ctx.app.store,
          audiences: ctx.app.audiences,
          deployer: ctx.app.deployer,
          now: () => ctx.app.clock.now(),
        },
        actorOf(ctx),
        await ctx.app.campaigns.get(input.code),
        { size: input.size, ...(input.seed === undefined ? {} : { seed: input.seed }) },
      ),
    ),

  /** The campaign's own audit trail (who did what, when), oldest first. */
  history: authedProcedure.input(z.object({ code })).query(async ({ ctx, input }) => {
    await ctx.app.campaigns.get(input.code);
    const entries = await ctx.app.store.audit.list({
      entityType: 'campaign',
      entityId: input.code,
      limit: 500,
    });
    const names = new Map<string, string>();
    for (const e of entries) {
      if (e.actorId && !names.has(e.actorId))
        names.set(e.actorId, (await ctx.app.store.users.findById(e.actorId))?.username ?? 'unknown');
    }
    // Where a change came from (the client address) is for admins; everyone else sees what and who.
    const admin = ctx.principal.role === 'admin';
    return entries.reverse().map((e) => {
      const { address: _address, ...details } = e.details;
      return {
        at: e.at.toISOString(),
        action: e.action,
        actor: e.actorId ? (names.get(e.actorId) ?? 'unknown') : 'system',
        details: admin ? e.details : details,
      };
    });
  }),
});
