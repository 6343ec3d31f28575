import {
  AudienceWorker,
  ChangeFeed,
  connectDatabase,
  createStore,
  JobQueue,
  publishChange,
  type Store,
  UploadParser,
} from '@campaigns/db';
import { createAccountServices } from './auth/account-services';
import type { AuthService } from './auth/auth-service';
import { PasswordScorer } from './auth/password-worker';
import { type Clock, systemClock } from './clock';
import type { Settings } from './env';
import { BodyWorker } from './http/body-worker';
import { createLogger, type Logger } from './logger';
import { ApprovalService } from './services/approval-service';
import { AudienceService } from './services/audience-service';
import type { AuditTrail } from './services/audit-trail';
import type { CampaignDeployer } from './services/campaign-deployer';
import { CampaignService } from './services/campaign-service';
import { CodeService } from './services/code-service';
import { withFileFacts } from './services/dataset-files';
import { DeployService, takeoverEveryMs } from './services/deploy-service';
import { JobRunner, keepFinishedJobsMs } from './services/job-runner';
import { ListCache } from './services/list-cache';
import { Notifier } from './services/notifier';
import { createTargetDeployer } from './services/target-deployer';
import { UploadService } from './services/upload-service';
import type { UserService } from './services/user-service';

export interface AppOptions {
  settings: Settings;
  clock?: Clock;
  logger?: Logger;
  /** Tests inject a deployer that fails on purpose; by default the configured target (TARGET). */
  deployer?: CampaignDeployer;
  /** Tests give each app its own store (a database of the test server); by default DATABASE_URL or embedded. */
  store?: Store;
  /** Progress lines while the embedded database server initialises or starts (pnpm start prints them). */
  onDatabaseLog?: (message: string) => void;
  /** Take over deploys whose instance died, every few seconds (default on; a test may step it by hand). */
  takeOverDeploys?: boolean;
  /** Run the queues' workers (default on: every instance does; a test may leave the jobs to another app). */
  workers?: boolean;
  /**
   * Start the snapshot codec, upload and body workers now rather than on first use (pnpm start and the benches):
   * a start costs the caller's thread tens of ms, which the first create or upload would pay in the middle of
   * the heaviest requests (issue 13, item 3). Tests leave it off: each app they open would start four threads.
   */
  startWorkers?: boolean;
  /** Names this app's database connections in pg_stat_activity (tests end them to play a dead process). */
  applicationName?: string;
}

/** Everything the HTTP layer and the procedures use, wired once. */
export interface App {
  settings: Settings;
  clock: Clock;
  logger: Logger;
  store: Store;
  listCache: ListCache;
  deployer: CampaignDeployer;
  audit: AuditTrail;
  auth: AuthService;
  users: UserService;
  codes: CodeService;
  audiences: AudienceService;
  uploads: UploadService;
  campaigns: CampaignService;
  approvals: ApprovalService;
  deploys: DeployService;
  notifier: Notifier;
  jobs: JobRunner;
  queue: JobQueue;
  feed: ChangeFeed;
  /** Parses the large request bodies (IIN lists, files) off the API's thread, for the HTTP layer. */
  bodies: BodyWorker;
  health(): Promise<{
    ok: boolean;
    store: string;
    target: string;
    datasets: unknown;
    dataset_preparation: unknown;
  }>;
  /** Stops everything it started (jobs finish first): a closed app leaves nothing that keeps the process alive. */
  close(): Promise<void>;
}

export async function createApp(options: AppOptions): Promise<App> {
  const { settings } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(settings.logLevel);
  // The database server: DATABASE_URL, or the embedded one in DATA_DIR (started here, or shared if it runs).
  const database = options.store
    ? null
    : await connectDatabase({
        databaseUrl: settings.databaseUrl,
        dataDir: settings.dataDir,
        ...(options.onDatabaseLog ? { onLog: options.onDatabaseLog } : {}),
      });
  const rawStore =
    options.store ??
    (await createStore({
      databaseUrl: database!.url,
      ...(options.applicationName ? { applicationName: options.applicationName } : {}),
    }));
  const feed = await ChangeFeed.open(rawStore.databaseUrl);
  const queue = await JobQueue.open(rawStore.databaseUrl, {
    onError: (error) => logger.error({ err: error }, 'job queue error'),
    ...(options.applicationName ? { applicationName: `${options.applicationName}-jobs` } : {}),
  });
  const listCache = new ListCache(clock, settings.listCacheMs);
  listCache.listen(feed);
  const store = listCache.watch(rawStore);
  const deployer =
    options.deployer ?? (await createTargetDeployer(settings, database?.url ?? rawStore.databaseUrl));
  const audit: AuditTrail = {
    record: async (entry) => {
      await store.audit.append(entry);
    },
  };
  const jobs = new JobRunner({ store, feed, clock, logger });
  const notifier = new Notifier({ store, logger, queue, webhookUrl: settings.webhookUrl });
  // The app's long-lived worker threads, each started on first use and closed with the app.
  const passwords = new PasswordScorer();
  const uploadParser = new UploadParser();
  const bodies = new BodyWorker();
  if (options.startWorkers) {
    rawStore.codec.start();
    uploadParser.start();
    bodies.start();
  }
  const { auth, users } = createAccountServices({
    store,
    settings,
    clock,
    audit,
    passwords,
    // Every instance forgets the API tokens it remembered (a revoked token stops working everywhere at once).
    onCredentialsChanged: () => {
      publishChange(store.pool, 'credentials_changed', '').catch(() => {});
    },
  });
  feed.on('credentials_changed', () => auth.forgetCachedTokens());
  const codes = new CodeService({ store, deployer, clock, logger });
  // One long-lived audience worker: the only holder of decoded datasets (this thread has none), kept warm
  // between runs.
  const audienceWorker = new AudienceWorker(settings.dataDir);
  if (options.startWorkers) audienceWorker.start();
  const audiences = new AudienceService(settings.dataDir, clock, () => audienceWorker);
  audiences.prepareDatasets(); // the audience worker reads every dataset now, before anyone filters
  const uploads = new UploadService({ store, jobs, clock, parser: uploadParser });
  const deploys = new DeployService({ store, deployer, notifier, audit, clock, logger, jobs, queue });
  const campaigns = new CampaignService({
    store,
    codes,
    audiences,
    deploys,
    deployer,
    uploads,
    notifier,
    audit,
    clock,
    approvalRequired: settings.approvalRequired,
  });
  const approvals = new ApprovalService({ store, campaigns, deploys, notifier, clock });

  // Every instance runs workers (docs/ARCHITECTURE.md "Jobs").
  if (options.workers ?? true) {
    await queue.work('deploy', (data) => deploys.runDeployJob(data));
    await queue.work('webhook', (data) => notifier.deliver(data));
    await queue.work('cleanup', async () => {
      const now = clock.now();
      await store.sessions.deleteExpired(now);
      await store.uploads.deleteExpired(now);
      await store.jobs.deleteFinishedBefore(new Date(now.getTime() - keepFinishedJobsMs));
      await store.jobs.failAbandoned(['upload', 'filter'], new Date(now.getTime() - 60 * 60_000), now);
      await store.loginAttempts.deleteOlderThan(new Date(now.getTime() - settings.loginThrottle.windowMs));
    });
  }
  await queue.schedule('cleanup', '*/10 * * * *');
  let takeover: NodeJS.Timeout | null = null;
  let takingOver: Promise<unknown> = Promise.resolve();
  if (options.takeOverDeploys ?? true) {
    const look = () => {
      takingOver = deploys
        .takeOverOrphans()
        .catch((error: unknown) => logger.error({ err: error }, 'deploy takeover check failed'));
    };
    look();
    takeover = setInterval(look, takeoverEveryMs);
    takeover.unref();
  }

  async function health() {
    const [storeState, targetState, datasetState] = await Promise.all([
      store.users.list().then(
        () => 'ok',
        (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
      ),
      // A target that does not answer within 2 s is reported busy rather than keep a probe waiting.
      Promise.race([
        deployer.ping().then(
          () => 'ok',
          (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
        ),
        new Promise<string>((resolve) => setTimeout(resolve, 2000, 'busy: no answer within 2 s').unref()),
      ]),
      // The audience worker's view with file facts, as datasets.list shows them (a missing or unreadable file
      // says `skipped` and why); a worker busy for over 2 s with a long run leaves the registry's view.
      audiences
        .describeDatasets([], 2000)
        .then((list) => withFileFacts(settings.dataDir, list))
        .then(
          (list) =>
            list.map((d) => ({
              name: d.name,
              kind: d.kind,
              status: d.status,
              rows: d.rows ?? null,
              problem: d.problem?.reason ?? null,
            })),
          (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
        ),
    ]);
    return {
      ok: storeState === 'ok' && (targetState === 'ok' || targetState.startsWith('busy')),
      store: storeState === 'ok' ? `${store.location}: ok` : storeState,
      target: targetState === 'ok' ? `${deployer.kind}: ok` : targetState,
      datasets: datasetState,
      // The audience worker's background preparation: idle/preparing/ready, datasets done of total.
      dataset_preparation: audiences.preparation(),
    };
  }

  return {
    settings,
    clock,
    logger,
    store,
    listCache,
    deployer,
    audit,
    auth,
    users,
    codes,
    audiences,
    uploads,
    campaigns,
    approvals,
    deploys,
    notifier,
    jobs,
    queue,
    feed,
    bodies,
    health,
    async close() {
      // Graceful: let running jobs (deploys) and webhook deliveries finish before closing the databases.
      if (takeover) clearInterval(takeover);
      await takingOver;
      await queue.stop();
      await jobs.drain();
      await Promise.all([audienceWorker.close(), bodies.close(), uploadParser.close(), passwords.close()]);
      if (!options.deployer) await deployer.close();
      await feed.close();
      if (!options.store) await rawStore.close();
      await database?.release();
    },
  };
}
