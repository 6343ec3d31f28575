import { domainError } from '@campaigns/core';
import type {
  Campaign,
  DeployJobData,
  JobQueue,
  SeedDeploymentResult,
  Store,
  TableOutcome,
} from '@campaigns/db';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { AuditTrail } from './audit-trail';
import { contentHashOf, loadSnapshot } from './campaign-content';
import type { CampaignDeployer } from './campaign-deployer';
import { withDeployLock } from './deploy-lock';
import type { JobView } from './job-results';
import type { JobRunner } from './job-runner';
import { campaignParams } from './notification-params';
import type { Notifier } from './notifier';

/** How often each instance looks for deploys whose instance died (takeover within this, plus a moment). */
export const takeoverEveryMs = 10_000;

/**
 * Deploys approved campaigns to the target tables: what the approver saw (the content hash) is what deploys.
 * Deploys are pg-boss jobs that any instance may run (at once, or at `deploy_at`); one deploy per campaign at a
 * time, across instances, by the campaign's deploy lock (deploy-lock.ts). A retry (deploy_failed) or a
 * takeover of a deploy whose instance died (deploying, lock free) writes only what is missing.
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
      queue: JobQueue;
    },
  ) {}

  /** Deploys now, in this request, and answers the seed's deployment result. */
  async deployNow(campaignId: string, actorId: string | null): Promise<SeedDeploymentResult> {
    const locked = await withDeployLock(this.deps.store.databaseUrl, campaignId, async () => {
      const campaign = await this.deps.store.campaigns.findById(campaignId);
      if (!campaign) throw domainError('CAMPAIGN.NOT_FOUND', 'Campaign not found.');
      return this.#deploy(campaign, actorId, ['approved', 'deploy_failed'], () => {});
    });
    if (!locked.acquired) {
      throw domainError('CAMPAIGN.INVALID_STATE', 'This campaign is being deployed already.');
    }
    return locked.value;
  }

  /**
   * Queues a deploy (at once, or at the campaign's deploy_at) and returns the job the SPA follows; when the
   * same deploy is already queued or running, its job.
   */
  async startDeploy(
    campaign: Campaign,
    actorId: string | null,
    from: Array<'approved' | 'deploy_failed'>,
    options: { ahead?: boolean } = {},
  ): Promise<JobView | null> {
    const running = (await this.deps.jobs.list({ campaignCode: campaign.code })).find(
      (j) => j.kind === 'deploy' && j.status === 'running',
    );
    if (running) return running;
    const later =
      !options.ahead &&
      campaign.deployAt !== null &&
      campaign.deployAt.getTime() > this.deps.clock.now().getTime();
    const job = later
      ? null
      : await this.deps.jobs.create({
          kind: 'deploy',
          campaignCode: campaign.code,
          ownerId: actorId,
          message: 'Waiting for a worker',
        });
    const data: DeployJobData = {
      campaignId: campaign.id,
      actorId,
      jobId: job?.id ?? null,
      from,
      ...(options.ahead ? { ahead: true } : {}),
    };
    // At once: one deploy per campaign waiting at a time (the queue's policy). At deploy_at: no singleton, so
    // an approval after an edit is not swallowed by the job of the approval before it (which finds the
    // campaign changed and does nothing).
    const sent = await this.deps.queue.send(
      'deploy',
      data,
      later && campaign.deployAt ? { startAfter: campaign.deployAt } : { singletonKey: campaign.id },
    );
    if (!sent && job) {
      await this.deps.store.jobs.update(job.id, {
        status: 'succeeded',
        progress: 1,
        message: 'Already queued',
        finishedAt: this.deps.clock.now(),
      });
    }
    return job;
  }

  /** The `deploy` queue's handler: runs the deploy under the campaign's lock, or fails (retried later). */
  async runDeployJob(data: DeployJobData): Promise<void> {
    const { store, jobs, logger } = this.deps;
    const locked = await withDeployLock(store.databaseUrl, data.campaignId, async () => {
      const campaign = await store.campaigns.findById(data.campaignId);
      const deployable: string[] = [...data.from, 'deploying'];
      // "Deploy now" (ahead) runs before deploy_at; a scheduled job waits for it.
      const early =
        !data.ahead &&
        campaign?.deployAt &&
        campaign.deployAt.getTime() > this.deps.clock.now().getTime() + 1000;
      if (!campaign || !deployable.includes(campaign.status) || early) {
        // Deployed meanwhile (a takeover), deleted, edited back to draft: nothing to do.
        if (data.jobId) {
          await store.jobs.update(data.jobId, {
            status: 'succeeded',
            progress: 1,
            message: !campaign
              ? 'The campaign is gone'
              : early
                ? 'Deploys at its deploy_at'
                : `Nothing to deploy: the campaign is ${campaign.status}`,
            finishedAt: this.deps.clock.now(),
          });
        }
        return;
      }
      const jobId =
        data.jobId ??
        (await jobs.create({ kind: 'deploy', campaignCode: campaign.code, ownerId: data.actorId })).id;
      await jobs.run(jobId, async (progress) => ({
        deployment: await this.#deploy(campaign, data.actorId, data.from, progress),
      }));
    });
    if (!locked.acquired) {
      logger.info({ campaign: data.campaignId }, 'deploy is running on another instance; retried later');
      throw new Error('This campaign is being deployed by another instance.');
    }
  }

  /**
   * Campaigns left `deploying` by an instance that died (their deploy lock is free) are taken over here: the
   * deploy continues and writes only what is missing. Each instance runs this every takeoverEveryMs.
   */
  async takeOverOrphans(): Promise<string[]> {
    const { store, jobs, logger } = this.deps;
    const { campaigns } = await store.campaigns.list({ status: ['deploying'], limit: 1000 });
    const taken: string[] = [];
    for (const candidate of campaigns) {
      const locked = await withDeployLock(store.databaseUrl, candidate.id, async () => {
        const campaign = await store.campaigns.findById(candidate.id);
        if (campaign?.status !== 'deploying') return false;
        logger.warn({ code: campaign.code }, 'taking over a deploy whose instance stopped');
        await this.deps.audit.record({
          actorId: null,
          action: 'campaign.deploy_taken_over',
          entityType: 'campaign',
          entityId: campaign.code,
          details: { reason: 'the instance running the deploy stopped' },
        });
        const stale = (await jobs.list({ campaignCode: campaign.code })).filter(
          (j) => j.kind === 'deploy' && j.status === 'running',
        );
        for (const job of stale) {
          await store.jobs.update(job.id, {
            status: 'failed',
            error: 'The instance running this deploy stopped; another one took it over.',
            finishedAt: this.deps.clock.now(),
          });
        }
        const job = await jobs.create({ kind: 'deploy', campaignCode: campaign.code, ownerId: null });
        await jobs
          .run(job.id, async (progress) => ({
            deployment: await this.#deploy(campaign, null, [], progress),
          }))
          .catch(() => {}); // the outcome is in the job row and the campaign's status
        return true;
      });
      if (locked.acquired && locked.value) taken.push(candidate.code);
    }
    return taken;
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
      throw domainError(
        'CAMPAIGN.CONTENT_CONFLICT',
        `${campaign.code} changed after approval; it must be approved again.`,
      );
    }
    // Taking over: the campaign is already `deploying` (its instance died); carry on with what is missing.
    const claimed =
      campaign.status === 'deploying'
        ? campaign
        : await store.transaction(async (tx) => {
            const next = await tx.campaigns.transition(campaign.id, { from, to: 'deploying' });
            if (!next) {
              throw domainError(
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
        campaignCode: claimed.code,
        kind: claimed.campaignType,
        xlsOwId: claimed.xlsOwId,
        metadata: claimed.metadata,
        target,
        control,
        options: claimed.deployOptions,
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
      body: success
        ? `${target.length} target clients, ${control.length} in the control group`
        : outcome.result.errors.join('; '),
      params: {
        ...campaignParams(finished),
        ...(success
          ? { users: outcome.result.total_users, target: target.length, control: control.length }
          : { errors: outcome.result.errors.join('; ') }),
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
}

const shortName = (table: string) => table.split('.').pop() ?? table;
