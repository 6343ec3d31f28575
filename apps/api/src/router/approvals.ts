import { z } from 'zod';
import { omittedBlacklists, skippedBlacklists } from '../services/unapplied-blacklists';
import { roleProcedure, router } from '../trpc';
import { actorOf } from './actor';

const code = z.string().trim().min(1).max(40);

export const approvalsRouter = router({
  /** The approver's inbox: campaigns waiting for someone other than their author. */
  pending: roleProcedure('approver', 'admin').query(async ({ ctx }) => {
    const { campaigns } = await ctx.app.store.campaigns.list({ status: ['pending_approval'], limit: 500 });
    const waiting = campaigns.filter((c) => c.authorId !== ctx.principal.userId);
    const result = [];
    for (const c of waiting) {
      const author = await ctx.app.store.users.findById(c.authorId);
      result.push({
        campaign_code: c.code,
        campaign_type: c.campaignType,
        campaign_name: String(c.metadata.campaign_name ?? ''),
        author: author?.username ?? 'unknown',
        final_count: Number(c.filterStats?.final_count ?? 0),
        content_hash: c.contentHash,
        skipped_blacklists: skippedBlacklists(c),
        omitted_blacklists: omittedBlacklists(c.filterConfig),
        submitted_at: c.updatedAt.toISOString(),
      });
    }
    return { count: result.length, campaigns: result };
  }),

  approve: roleProcedure('approver', 'admin')
    .input(
      z.object({
        code,
        content_hash: z.string().min(1),
        acknowledge_skipped_blacklists: z.boolean().default(false),
        comment: z.string().trim().max(2000).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { campaign, deployJob } = await ctx.app.approvals.approve(actorOf(ctx), {
        code: input.code,
        contentHash: input.content_hash,
        acknowledgeSkippedBlacklists: input.acknowledge_skipped_blacklists,
        comment: input.comment,
      });
      return { campaign_code: campaign.code, status: campaign.status, deploy_job: deployJob };
    }),

  reject: roleProcedure('approver', 'admin')
    .input(
      z.object({ code, comment: z.string().trim().min(1, 'Say what the author should change.').max(2000) }),
    )
    .mutation(async ({ ctx, input }) => {
      const campaign = await ctx.app.approvals.reject(actorOf(ctx), input);
      return { campaign_code: campaign.code, status: campaign.status };
    }),
});
