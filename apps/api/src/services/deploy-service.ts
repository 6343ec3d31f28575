import type { Campaign, Store } from '@campaigns/db';
import type { Clock } from '../clock';
import { ApiError } from '../errors';
import type { Logger } from '../logger';
import type { AuditTrail } from './audit-trail';
import type { CampaignDeployer, SeedDeploymentResult, TableOutcome } from './campaign-deployer';
import { deployOptionsSchema } from './campaign-input';
import { contentHashOf, loadSnapshot } from './campaign-service';
import type { JobRunner } from './job-runner';
import { campaignParams } from './notification-params';
import type { Notifier } from './notifier';

/**
 * Deploys approved campaigns to the target tables: what the approver saw (the content hash) is what deploys.
 * A retry (deploy_failed) or a resume after a restart (deploying) writes only what is missing.
 */
export class DeployService {
  constructor(
    private readonly deps: {
      store: Store;
      deployer: CampaignDeployer;
      notifier: Notifier;
      audit: AuditTrail;
      clock: Clock;
      logger: Logger;
      jobs: JobRunner;
    },
  ) {}

  /** Deploys now, in this request, and answers the seed's deployment result. */
  async deployNow(campaignId: string, actorId: string | null): Promise<SeedDeploymentResult> {
    const campaign = await this.deps.store.campaigns.findById(campaignId);
    if (!campaign) throw new ApiError('CAMPAIGN.NOT_FOUND', 'Campaign not found.');
    return this.#deploy(campaign, actorId, ['approved', 'deploy_failed'], () => {});
  }

  /** Starts a deploy as a background job with progress; returns the job id at once. */
  startDeploy(campaign: Campaign, actorId: string | null, from: Array<'approved' | 'deploy_failed'>) {
    return this.deps.jobs.start(
      { kind: 'deploy', campaignCode: campaign.code, ownerId: actorId },
      async (progress) => {
        const result = await this.#deploy(campaign, actorId, from, progress);
        return { deployment: result };
      },
    );
  }

  async #deploy(
    campaign: Campaign,
    actorId: string | null,
    from: Array<'approved' | 'deploy_failed'>,
    progress: (fraction: number, message: string) => void,
  ): Promise<SeedDeploymentResult> {
    const { store, deployer, clock } = this.deps;
    // Bind to what was approved: recompute the hash from the stored content and snapshots.
    const actualHash = await contentHashOf(store, campaign);
    if (campaign.contentHash !== actualHash) {
      throw new ApiError(
        'CAMPAIGN.CONTENT_CONFLICT',
        `${campaign.code} changed after approval; it must be approved again.`,
      );
    }
    const claimed = await store.transaction(async (tx) => {
      const next = await tx.campaigns.transition(campaign.id, { from, to: 'deploying' });
      if (!next) {
        throw new ApiError(
          'CAMPAIGN.INVALID_STATE',
          `Cannot deploy ${campaign.code}: it is ${campaign.status}.`,
        );
      }
      await tx.audit.append({
        actorId,
        action: 'campaign.deploying',
        entityType: 'campaign',
        entityId: campaign.code,
        details: { from: campaign.status, contentHash: campaign.contentHash },
      });
      return next;
    });
    progress(0.1, 'Loading the approved audience');
    const [target, control] = await Promise.all([
      loadSnapshot(store, claimed.id, 'target'),
      loadSnapshot(store, claimed.id, 'control'),
    ]);
    progress(0.2, `Writing ${target.length + control.length} users`);
    this.deps.logger.info(
      { code: claimed.code, target: target.length, control: control.length },
      'deploy started',
    );
    const started = clock.now();
    let outcome: { result: SeedDeploymentResult; tables: TableOutcome[] };
    try {
      outcome = await deployer.deploy({
        code: claimed.code,
        campaignType: claimed.campaignType,
        xlsOwId: claimed.xlsOwId,
        metadata: claimed.metadata,
        target,
        control,
        options: deployOptionsSchema.parse(claimed.deployOptions),
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      outcome = {
        result: {
          campaign_code: claimed.code,
          tables_updated: [],
          total_users: 0,
          errors: [message],
          success: false,
        },
        tables: [],
      };
    }
    progress(0.9, 'Recording the result');
    const attempt = await store.deployments.nextAttempt(claimed.id);
    await store.deployments.record(
      outcome.tables.map((t) => ({
        campaignId: claimed.id,
        tableName: t.table,
        status: t.status,
        rows: t.rows,
        ms: t.ms,
        error: t.error,
        attempt,
      })),
    );
    const success = outcome.result.success;
    this.deps.logger.info(
      { code: claimed.code, success, ms: clock.now().getTime() - started.getTime() },
      'deploy finished',
    );
    const finished = await store.transaction(async (tx) => {
      const next = await tx.campaigns.transition(claimed.id, {
        from: ['deploying'],
        to: success ? 'deployed' : 'deploy_failed',
        ...(success ? { deployedAt: clock.now() } : {}),
      });
      await tx.audit.append({
        actorId,
        action: success ? 'campaign.deployed' : 'campaign.deploy_failed',
        entityType: 'campaign',
        entityId: claimed.code,
        details: {
          attempt,
          tablesUpdated: outcome.result.tables_updated,
          totalUsers: outcome.result.total_users,
          errors: outcome.result.errors,
          ms: clock.now().getTime() - started.getTime(),
        },
      });
      return next ?? claimed;
    });
    await this.deps.notifier.notify({
      kind: success ? 'campaign.deployed' : 'campaign.deploy_failed',
      campaignId: finished.id,
      code: finished.code,
      title: success ? `${finished.code} is deployed` : `${finished.code} failed to deploy`,
      body: success ? `${outcome.result.total_users} users` : outcome.result.errors.join('; '),
      params: {
        ...campaignParams(finished),
        ...(success ? { users: outcome.result.total_users } : { errors: outcome.result.errors.join('; ') }),
      },
      recipientIds: [finished.authorId],
    });
    progress(1, success ? 'Deployed' : 'Deploy failed');
    return outcome.result;
  }

  /** The seed's deployment result rebuilt from the newest attempt (for replays and details), or null. */
  async lastResult(campaign: Campaign): Promise<SeedDeploymentResult | null> {
    const records = await this.deps.store.deployments.listForCampaign(campaign.id);
    if (records.length === 0) return null;
    const last = Math.max(...records.map((r) => r.attempt));
    const everWritten = new Set(
      records.filter((r) => r.status === 'written' || r.status === 'already_present').map((r) => r.tableName),
    );
    const latest = records.filter((r) => r.attempt === last);
    const errors = latest
      .filter((r) => r.status === 'failed')
      .map((r) => `${shortName(r.tableName)}: ${r.error ?? 'failed'}`);
    const userTable = records.find(
      (r) => r.tableName.endsWith('fd_rb2_campaigns_users') && r.status !== 'failed',
    );
    return {
      campaign_code: campaign.code,
      tables_updated: [...everWritten],
      total_users: userTable?.rows ?? 0,
      errors,
      success: errors.length === 0,
    };
  }

  async removeFromTarget(campaign: Campaign): Promise<{ tables: string[]; rows: number }> {
    return this.deps.deployer.remove(campaign.code, campaign.campaignType);
  }

  /**
   * After a restart: campaigns left in `deploying` are marked `deploy_failed` (a compare-and-set, so with several
   * instances on one PostgreSQL store only one claims each) and retried; the retry writes only what is missing.
   */
  async resumeInterrupted(): Promise<string[]> {
    const { campaigns } = await this.deps.store.campaigns.list({ status: ['deploying'], limit: 1000 });
    const resumed: string[] = [];
    for (const campaign of campaigns) {
      const claimed = await this.deps.store.transaction(async (tx) => {
        const next = await tx.campaigns.transition(campaign.id, { from: ['deploying'], to: 'deploy_failed' });
        if (next) {
          await tx.audit.append({
            actorId: null,
            action: 'campaign.deploy_resumed',
            entityType: 'campaign',
            entityId: campaign.code,
            details: { reason: 'the server stopped during the deploy' },
          });
        }
        return next;
      });
      if (!claimed) continue;
      this.deps.logger.warn({ code: campaign.code }, 'resuming a deploy interrupted by a restart');
      this.startDeploy(claimed, null, ['deploy_failed']);
      resumed.push(campaign.code);
    }
    return resumed;
  }

  /** Approved campaigns whose deploy time has come. */
  async deployDue(): Promise<string[]> {
    const now = this.deps.clock.now().getTime();
    const { campaigns } = await this.deps.store.campaigns.list({ status: ['approved'], limit: 1000 });
    const due = campaigns.filter((c) => c.deployAt !== null && c.deployAt.getTime() <= now);
    for (const campaign of due) this.startDeploy(campaign, null, ['approved']);
    return due.map((c) => c.code);
  }
}

const shortName = (table: string) => table.split('.').pop() ?? table;
