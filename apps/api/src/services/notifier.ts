import type { Store } from '@campaigns/db';
import type { Logger } from '../logger';
import type { NotificationParams } from './notification-params';

export interface CampaignEvent {
  kind:
    | 'campaign.submitted'
    | 'campaign.approved'
    | 'campaign.rejected'
    | 'campaign.deployed'
    | 'campaign.deploy_failed';
  campaignId: string;
  code: string;
  title: string;
  body: string;
  /** Stored with the inbox entry: clients word it in their own language from these. */
  params: NotificationParams;
  /** Who gets it in their in-app inbox. */
  recipientIds: string[];
}

const webhookAttempts = 4;

/**
 * In-app inbox entries plus an optional webhook. The webhook runs in the background with retries and never
 * delays or fails the request that caused it; pending deliveries are awaited on shutdown.
 */
export class Notifier {
  readonly #pending = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      store: Store;
      logger: Logger;
      webhookUrl: string | undefined;
      /** Backoff between webhook attempts; tests shorten it. */
      retryDelayMs?: number;
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
    if (this.deps.webhookUrl) this.#track(this.#deliver(this.deps.webhookUrl, event));
  }

  /** Waits for webhook deliveries still in flight (graceful shutdown, tests). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.#pending]);
  }

  #track(work: Promise<void>): void {
    this.#pending.add(work);
    void work.finally(() => this.#pending.delete(work));
  }

  async #deliver(url: string, event: CampaignEvent): Promise<void> {
    // The payload names the campaign and what happened; never audiences or user details.
    const body = JSON.stringify({
      event: event.kind,
      campaign_code: event.code,
      title: event.title,
      at: new Date(),
    });
    const fetchImpl = this.deps.fetchImpl ?? fetch;
    const baseDelay = this.deps.retryDelayMs ?? 1000;
    for (let attempt = 1; attempt <= webhookAttempts; attempt++) {
      try {
        const response = await fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(5000),
        });
        if (response.ok) return;
        this.deps.logger.warn({ status: response.status, attempt, event: event.kind }, 'webhook refused');
      } catch (error) {
        this.deps.logger.warn({ err: error, attempt, event: event.kind }, 'webhook delivery failed');
      }
      if (attempt < webhookAttempts)
        await new Promise((resolve) => setTimeout(resolve, baseDelay * 2 ** (attempt - 1)));
    }
    this.deps.logger.error({ event: event.kind, code: event.code }, 'webhook gave up after retries');
  }
}
