import { domainError } from '@campaigns/core';
import type { Campaign, Store } from '@campaigns/db';
import type { Clock } from '../clock';
import { type Actor, campaignAuditEntry } from './actor';
import { contentHashOf } from './campaign-content';
import type { CampaignService } from './campaign-service';
import { editorsSinceLastApproval } from './content-editors';
import type { DeployService } from './deploy-service';
import type { JobView } from './job-results';
import { campaignParams } from './notification-params';
import type { Notifier } from './notifier';
import { omittedBlacklists, skippedBlacklists } from './unapplied-blacklists';

export interface ApproveInput {
  code: string;
  /** The content hash the approver looked at; a different current hash means it changed meanwhile. */
  contentHash: string;
  /** Required when a blacklist was skipped or left out: the approver accepts deploying without it. */
  acknowledgeSkippedBlacklists?: boolean;
  comment?: string | undefined;
}

/** Four-eyes sign-off: approve or reject someone else's submitted campaign. */
export class ApprovalService {
  constructor(
    private readonly deps: {
      store: Store;
      campaigns: CampaignService;
      deploys: DeployService;
      notifier: Notifier;
      clock: Clock;
    },
  ) {}

  async approve(
    actor: Actor,
    input: ApproveInput,
  ): Promise<{ campaign: Campaign; deployJob: JobView | null }> {
    const campaign = await this.deps.campaigns.get(input.code);
    if (campaign.authorId === actor.userId) {
      throw domainError(
        'APPROVAL.SELF_APPROVAL',
        'You cannot approve your own campaign; another approver must.',
      );
    }
    if ((await editorsSinceLastApproval(this.deps.store.audit, campaign.code)).includes(actor.userId)) {
      throw domainError(
        'APPROVAL.SELF_APPROVAL',
        'You changed this campaign since it was last approved; another approver must approve it.',
      );
    }
    if (campaign.status !== 'pending_approval') {
      throw domainError(
        'CAMPAIGN.INVALID_STATE',
        `${campaign.code} is ${campaign.status}, not waiting for approval.`,
      );
    }
    const currentHash = await contentHashOf(this.deps.store, campaign);
    if (input.contentHash !== campaign.contentHash || currentHash !== campaign.contentHash) {
      throw domainError(
        'APPROVAL.CONTENT_CHANGED',
        `${campaign.code} changed since you opened it; review it again.`,
        {
          contentHash: campaign.contentHash,
        },
      );
    }
    const skipped = skippedBlacklists(campaign);
    const omitted = omittedBlacklists(campaign.filterConfig);
    if ((skipped.length > 0 || omitted.length > 0) && !input.acknowledgeSkippedBlacklists) {
      const notApplied = [
        ...skipped.map((name) => `${name} (skipped: its file could not be read)`),
        ...omitted.map(({ name, reason }) => `${name} (left out: ${reason ?? 'no reason given'})`),
      ];
      throw domainError(
        'APPROVAL.ACKNOWLEDGEMENT_REQUIRED',
        `Not applied: ${notApplied.join('; ')}. Acknowledge this to approve.`,
        { skippedBlacklists: skipped, omittedBlacklists: omitted },
      );
    }
    const approved = await this.deps.store.transaction(async (tx) => {
      const next = await tx.campaigns.transition(campaign.id, { from: ['pending_approval'], to: 'approved' });
      if (!next)
        throw domainError('CAMPAIGN.INVALID_STATE', `${campaign.code} is no longer waiting for approval.`);
      await tx.approvals.record({
        campaignId: campaign.id,
        approverId: actor.userId,
        decision: 'approved',
        comment: input.comment ?? null,
        contentHash: currentHash,
        acknowledgedWarnings: skipped.length > 0 || omitted.length > 0,
      });
      await tx.audit.append(
        campaignAuditEntry(actor, 'campaign.approved', campaign.code, {
          contentHash: currentHash,
          acknowledgedSkippedBlacklists: skipped,
          acknowledgedOmittedBlacklists: omitted,
          comment: input.comment ?? null,
        }),
      );
      return next;
    });
    await this.announceDecision(campaign, 'approved', actor, input.comment);
    // A deploy job at once, or at deploy_at (then no job to follow yet: null).
    const deployJob = await this.deps.deploys.startDeploy(approved, actor.userId, ['approved']);
    return { campaign: approved, deployJob };
  }

  async reject(actor: Actor, input: { code: string; comment: string }): Promise<Campaign> {
    const campaign = await this.deps.campaigns.get(input.code);
    if (campaign.authorId === actor.userId) {
      throw domainError(
        'APPROVAL.SELF_APPROVAL',
        'You cannot review your own campaign; another approver must.',
      );
    }
    const rejected = await this.deps.store.transaction(async (tx) => {
      const next = await tx.campaigns.transition(campaign.id, { from: ['pending_approval'], to: 'rejected' });
      if (!next)
        throw domainError(
          'CAMPAIGN.INVALID_STATE',
          `${campaign.code} is ${campaign.status}, not waiting for approval.`,
        );
      await tx.approvals.record({
        campaignId: campaign.id,
        approverId: actor.userId,
        decision: 'rejected',
        comment: input.comment,
        contentHash: campaign.contentHash ?? '',
      });
      await tx.audit.append(
        campaignAuditEntry(actor, 'campaign.rejected', campaign.code, { comment: input.comment }),
      );
      return next;
    });
    await this.announceDecision(campaign, 'rejected', actor, input.comment);
    return rejected;
  }

  /** Tells the author the decision (with the approver's comment) and settles the approvers' open requests. */
  private async announceDecision(
    campaign: Campaign,
    decision: 'approved' | 'rejected',
    actor: Actor,
    comment: string | undefined,
  ): Promise<void> {
    await this.deps.notifier.notify({
      kind: `campaign.${decision}`,
      campaignId: campaign.id,
      code: campaign.code,
      title: `${campaign.code} ${decision === 'approved' ? 'is approved' : 'was rejected'}`,
      body: comment ?? '',
      params: { ...campaignParams(campaign), ...(comment ? { comment } : {}) },
      recipientIds: [campaign.authorId],
    });
    await this.deps.notifier.resolveRequests(campaign.id, decision, actor.userId);
  }
}
