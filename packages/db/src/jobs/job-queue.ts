// The jobs engine (docs/ARCHITECTURE.md "Jobs"): pg-boss on the app's own database. Every instance runs workers; a job
// sent by one instance is done by whichever instance fetches it. Queues and their retry rules live here; what a
// job does is the API's (it registers the handlers).
import PgBoss from 'pg-boss';

export const queueNames = ['deploy', 'webhook', 'cleanup'] as const;
export type QueueName = (typeof queueNames)[number];

export interface DeployJobData {
  campaignId: string;
  /** Who asked (null: the system, e.g. a scheduled deploy_at). */
  actorId: string | null;
  /** The job row the SPA follows; the worker makes one when missing (a deploy_at job). */
  jobId: string | null;
  from: Array<'approved' | 'deploy_failed'>;
  /** Asked to deploy now, ahead of the campaign's deploy_at. */
  ahead?: boolean;
}

export interface WebhookJobData {
  url: string;
  /** The JSON body, already made (it names the campaign and the event, never audiences). */
  body: string;
  event: string;
}

export type JobData = { deploy: DeployJobData; webhook: WebhookJobData; cleanup: Record<string, never> };

/**
 * Per queue: one deploy per campaign active and one more waiting (stately + singletonKey = campaign id); a
 * deploy that fails with a transient error is retried with backoff; webhook deliveries likewise.
 */
const queueOptions: Record<QueueName, Omit<PgBoss.Queue, 'name'>> = {
  deploy: { policy: 'stately', retryLimit: 20, retryDelay: 5, retryBackoff: true, expireInSeconds: 3600 },
  webhook: { policy: 'standard', retryLimit: 4, retryDelay: 1, retryBackoff: true, expireInSeconds: 60 },
  cleanup: { policy: 'short', retryLimit: 1, retryDelay: 60, expireInSeconds: 600 },
};

export class JobQueue {
  readonly #workers = new Map<QueueName, string>();

  private constructor(private readonly boss: PgBoss) {}

  /** Starts pg-boss on the database (creating its schema `pgboss` on first use) with our queues. */
  static async open(
    databaseUrl: string,
    options: { onError?: (error: Error) => void; applicationName?: string } = {},
  ): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      max: 4,
      application_name: options.applicationName ?? 'campaigns-jobs',
      // Expired jobs (their instance died) are found within this many seconds.
      maintenanceIntervalSeconds: 30,
    });
    boss.on('error', (error) => options.onError?.(error));
    await boss.start();
    for (const name of queueNames) {
      const existing = await boss.getQueue(name);
      if (existing) await boss.updateQueue(name, { name, ...queueOptions[name] });
      else await boss.createQueue(name, { name, ...queueOptions[name] });
    }
    return new JobQueue(boss);
  }

  /** Sends a job; null when the queue's policy refused it (the same deploy is already waiting). */
  async send<Q extends QueueName>(
    name: Q,
    data: JobData[Q],
    options: { singletonKey?: string; startAfter?: Date } = {},
  ): Promise<string | null> {
    const id = await this.boss.send(name, data, options);
    // Wake this instance's worker at once rather than at its next poll.
    const worker = this.#workers.get(name);
    if (id && worker && (options.startAfter === undefined || options.startAfter.getTime() <= Date.now()))
      this.boss.notifyWorker(worker);
    return id;
  }

  /** Runs `handler` for each job of the queue (one at a time per instance); a throw fails the job (retried). */
  async work<Q extends QueueName>(
    name: Q,
    handler: (data: JobData[Q], jobId: string) => Promise<void>,
  ): Promise<void> {
    const id = await this.boss.work<JobData[Q]>(
      name,
      { batchSize: 1, pollingIntervalSeconds: 1 },
      async ([job]) => {
        if (job) await handler(job.data, job.id);
      },
    );
    this.#workers.set(name, id);
  }

  async schedule(name: QueueName, cron: string): Promise<void> {
    await this.boss.schedule(name, cron, {}, { singletonKey: name });
  }

  /** Waits for running handlers (up to `timeoutMs`), then stops. */
  async stop(timeoutMs = 30_000): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
  }
}
