import type pg from 'pg';
import { redactedUrl } from '../server/redacted-url';
import { ApiTokenStore } from './api-token-store';
import { ApprovalDecisionStore } from './approval-decision-store';
import { AudienceSnapshotStore } from './audience-snapshot-store';
import { AuditLog } from './audit-log';
import { CampaignStore } from './campaign-store';
import { CodeReservationStore } from './code-reservation-store';
import { openStoreDatabase, type StoreDatabase, type StoreOptions } from './database';
import { DeploymentStore } from './deployment-store';
import { IdempotencyKeyStore } from './idempotency-key-store';
import { JobStore } from './job-store';
import { LoginAttemptStore } from './login-attempt-store';
import { NotificationStore } from './notification-store';
import { SessionStore } from './session-store';
import { SnapshotCodec } from './snapshot-codec';
import { UploadStore } from './upload-store';
import { UserStore } from './user-store';

/** Every repository over one database handle (the database itself, or one transaction). */
export interface Repositories {
  users: UserStore;
  sessions: SessionStore;
  apiTokens: ApiTokenStore;
  campaigns: CampaignStore;
  snapshots: AudienceSnapshotStore;
  codeReservations: CodeReservationStore;
  approvals: ApprovalDecisionStore;
  deployments: DeploymentStore;
  notifications: NotificationStore;
  audit: AuditLog;
  jobs: JobStore;
  uploads: UploadStore;
  loginAttempts: LoginAttemptStore;
  idempotencyKeys: IdempotencyKeyStore;
}

export interface Store extends Repositories {
  /** The drizzle handle, for a query no repository offers yet (prefer adding it to a repository). */
  readonly db: StoreDatabase;
  /** The connection pool under it (LISTEN/NOTIFY, advisory locks held on one connection). */
  readonly pool: pg.Pool;
  /** The database URL, password included: for opening more connections to it, never for logs. */
  readonly databaseUrl: string;
  /** Where it is: the database URL without its password (for /healthz and logs). */
  readonly location: string;
  /** Encodes and decodes audiences in its worker thread; an app starts it at once (`codec.start()`). */
  readonly codec: SnapshotCodec;
  /** Runs `work` in one transaction: a status change and its audit entry land together or not at all. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function repositories(db: StoreDatabase, codec: SnapshotCodec): Repositories {
  return {
    users: new UserStore(db),
    sessions: new SessionStore(db),
    apiTokens: new ApiTokenStore(db),
    campaigns: new CampaignStore(db),
    snapshots: new AudienceSnapshotStore(db, codec),
    codeReservations: new CodeReservationStore(db),
    approvals: new ApprovalDecisionStore(db),
    deployments: new DeploymentStore(db),
    notifications: new NotificationStore(db),
    audit: new AuditLog(db),
    jobs: new JobStore(db),
    uploads: new UploadStore(db, codec),
    loginAttempts: new LoginAttemptStore(db),
    idempotencyKeys: new IdempotencyKeyStore(db),
  };
}

/** Opens the app store, applying pending migrations first. */
export async function createStore(options: StoreOptions): Promise<Store> {
  const opened = await openStoreDatabase(options);
  const codec = new SnapshotCodec();
  return {
    ...repositories(opened.db, codec),
    db: opened.db,
    pool: opened.pool,
    databaseUrl: options.databaseUrl,
    location: redactedUrl(options.databaseUrl),
    codec,
    transaction: (work) => opened.db.transaction((tx) => work(repositories(tx, codec))),
    close: async () => {
      await codec.close();
      await opened.close();
    },
  };
}
