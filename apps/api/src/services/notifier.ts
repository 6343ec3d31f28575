import type { JobQueue, Store, WebhookJobData } from '@campaigns/db';
import type { Logger } from '../logger';
import type { NotificationParams, RequestResolution } from './notification-params';

export interface CampaignEvent {
  kind:
    | 'campaign.submitted'
    | 'campaign.approved'
    | 'campaign.rejected'
    | 'campaign.deployed'
    | 'campaign.deploy_failed'
    | 'campaign.deleted';
  campaignId: string;
  code: string;
  title: string;
  body: string;
  /** Stored with the inbox entry: clients word it in their own language from these. */
  params: NotificationParams;
  /** Who gets it in their in-app inbox. */
  recipientIds: string[];
}

/**
 * In-app inbox entries plus an optional webhook. The webhook is a job of the `webhook` queue (pg-boss):
 * delivered by any instance, retried with backoff, kept across restarts; it never delays or fails the request
 * that caused it.
 */
export class Notifier {
  constructor(
    private readonly deps: {
      store: Store;
      logger: Logger;
      queue: JobQueue;
      webhookUrl: string | undefined;
      fetchImpl?: typeof fetch;
    },
  ) {}

  async notify(event: CampaignEvent): Promise<void> {
    for (const userId of new Set(event.recipientIds)) {
      await this.deps.store.notifications.create({
        userId,
        kind: event.kind,
        title: event.title,
        body: event.body,
        params: event.params,
        campaignId: event.campaignId,
      });
    }
    if (!this.deps.webhookUrl) return;
    // The payload names the campaign and what happened; never audiences or user details.
    const body = JSON.stringify({
      event: event.kind,
      campaign_code: event.code,
      title: event.title,
      at: new Date(),
    });
    await this.deps.queue
      .send('webhook', { url: this.deps.webhookUrl, body, event: event.kind })
      .catch((error: unknown) =>
        this.deps.logger.error({ err: error, event: event.kind }, 'webhook not queued'),
      );
  }

  /**
   * The approval requests sent for a campaign are settled once it is decided (or withdrawn, or deleted): no
   * approver is left with a request nobody needs to answer.
   */
  async resolveRequests(campaignId: string, resolution: RequestResolution, byUserId: string | null) {
    const by = byUserId ? await this.deps.store.users.findById(byUserId) : null;
    await this.deps.store.notifications.resolve({
      campaignId,
      kind: 'campaign.submitted',
      outcome: { resolution, resolved_by: by?.username ?? 'system' },
    });
  }

  /** The `webhook` queue's handler: one attempt; a throw makes pg-boss retry it later. */
  async deliver(job: WebhookJobData): Promise<void> {
    const fetchImpl = this.deps.fetchImpl ?? fetch;
    let response: Response;
    try {
      response = await fetchImpl(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: job.body,
        signal: AbortSignal.timeout(5000),
      });
    } catch (error) {
      this.deps.logger.warn({ err: error, event: job.event }, 'webhook delivery failed; retried later');
      throw error;
    }
    if (!response.ok) {
      this.deps.logger.warn({ status: response.status, event: job.event }, 'webhook refused; retried later');
      throw new Error(`webhook answered ${response.status}`);
    }
  }
}
