// The app store's tables (drizzle pg-core). Migrations in ../../drizzle are generated from this file
// (`pnpm --filter @campaigns/db db:generate`); the audit log's append-only trigger is a hand-written migration.
import {
  CAMPAIGN_STATUSES,
  CAMPAIGN_TYPES,
  type CampaignMetadata,
  type DeployOptions,
} from '@campaigns/core/rules';
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** PostgreSQL bytea; node-postgres hands back a Buffer (a Uint8Array). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const userRoles = ['marketer', 'approver', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

export const snapshotKinds = ['input', 'target', 'control'] as const;
export type SnapshotKind = (typeof snapshotKinds)[number];

/** Campaign codes (C + 9 digits) and RB3 XLS_OW_IDs (KKB_ + 4 digits) are two separate sequences. */
export const reservationKinds = ['campaign_code', 'xls_ow_id'] as const;
export type ReservationKind = (typeof reservationKinds)[number];

const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    username: text('username').notNull(),
    role: text('role', { enum: userRoles }).notNull(),
    passwordHash: text('password_hash').notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.username),
    check('users_role_check', inList('role', userRoles)),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 (hex) of the session token; the token itself is never stored. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** SHA-256 (hex) of the bearer token. */
    hash: text('hash').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    scopes: jsonb('scopes').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** After this instant the token no longer signs anyone in (null: tokens made before expiry existed). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.hash), index('api_tokens_user_id_idx').on(t.userId)],
);

export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    campaignType: text('campaign_type', { enum: CAMPAIGN_TYPES }).notNull(),
    xlsOwId: text('xls_ow_id'),
    status: text('status', { enum: CAMPAIGN_STATUSES }).notNull().default('draft'),
    metadata: jsonb('metadata').$type<CampaignMetadata>().notNull(),
    filterConfig: jsonb('filter_config').$type<Record<string, unknown>>().notNull().default({}),
    filterStats: jsonb('filter_stats').$type<Record<string, number>>(),
    warnings: jsonb('warnings').$type<unknown[]>().notNull().default([]),
    deployOptions: jsonb('deploy_options').$type<DeployOptions>().notNull().default(sql`'{}'::jsonb`),
    /** Hash of metadata + filter config + audience snapshots: an approval binds to it. */
    contentHash: text('content_hash'),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the campaign should be deployed (null: as soon as approved). */
    deployAt: timestamp('deploy_at', { withTimezone: true }),
    deployedAt: timestamp('deployed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('campaigns_code_key').on(t.code),
    uniqueIndex('campaigns_xls_ow_id_key').on(t.xlsOwId),
    // NULLs are distinct in a unique index, so campaigns without a key never collide.
    uniqueIndex('campaigns_author_idempotency_key').on(t.authorId, t.idempotencyKey),
    index('campaigns_status_idx').on(t.status),
    check('campaigns_status_check', inList('status', CAMPAIGN_STATUSES)),
    check('campaigns_type_check', inList('campaign_type', CAMPAIGN_TYPES)),
  ],
);

export const audienceSnapshots = pgTable(
  'audience_snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    kind: text('kind', { enum: snapshotKinds }).notNull(),
    count: integer('count').notNull(),
    /** Sorted numeric IINs, delta + varint encoded, then deflated (see iin-snapshot-codec.ts). */
    iins: bytea('iins').notNull(),
    /** SHA-256 (hex) of the sorted IINs' canonical encoding, before compression. */
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('audience_snapshots_campaign_idx').on(t.campaignId, t.kind),
    check('audience_snapshots_kind_check', inList('kind', snapshotKinds)),
  ],
);

export const codeReservations = pgTable(
  'code_reservations',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: text('kind', { enum: reservationKinds }).notNull(),
    value: text('value').notNull(),
    campaignId: uuid('campaign_id').references(() => campaigns.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('code_reservations_kind_value_key').on(t.kind, t.value),
    check('code_reservations_kind_check', inList('kind', reservationKinds)),
  ],
);

export const approvalDecisions = pgTable(
  'approval_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    approverId: uuid('approver_id')
      .notNull()
      .references(() => users.id),
    decision: text('decision', { enum: ['approved', 'rejected'] }).notNull(),
    comment: text('comment'),
    /** The content hash the approver saw. */
    contentHash: text('content_hash').notNull(),
    /** Set when the approver acknowledged skipped blacklists. */
    acknowledgedWarnings: boolean('acknowledged_warnings').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('approval_decisions_campaign_idx').on(t.campaignId)],
);

export const deploymentStatuses = ['written', 'skipped', 'failed', 'already_present'] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];

export const deployments = pgTable(
  'deployments',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id),
    /** Schema-qualified target table, e.g. 'spss.fd_rb2_campaigns_users'. */
    tableName: text('table_name').notNull(),
    status: text('status', { enum: deploymentStatuses }).notNull(),
    rows: integer('rows').notNull().default(0),
    ms: integer('ms').notNull().default(0),
    error: text('error'),
    /** 1 for the first deploy of a campaign, 2 for its first retry, ... */
    attempt: integer('attempt').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('deployments_campaign_idx').on(t.campaignId, t.attempt)],
);

export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** What a client needs to word the notification in its own language (title and body are English). */
    params: jsonb('params').$type<Record<string, string | number | null>>().notNull().default({}),
    campaignId: uuid('campaign_id').references(() => campaigns.id),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [index('notifications_user_idx').on(t.userId, t.createdAt)],
);

/** Append-only: a trigger (migration 0001) rejects UPDATE and DELETE. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** Null for actions of the system itself (scheduler, migrations). */
    actorId: uuid('actor_id').references(() => users.id),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index('audit_log_entity_idx').on(t.entityType, t.entityId)],
);

export const jobStatuses = ['running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/**
 * Long work (uploads, filters, deploys) as rows any instance can read: whoever runs the job writes its progress
 * here (and NOTIFYs `job_changed`), so a user following it may be served by any instance.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    ownerId: uuid('owner_id').references(() => users.id, { onDelete: 'set null' }),
    campaignCode: text('campaign_code'),
    status: text('status', { enum: jobStatuses }).notNull().default('running'),
    /** 0..1 */
    progress: doublePrecision('progress').notNull().default(0),
    message: text('message').notNull().default(''),
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
    /** A failed job's stable code (UPLOAD.NOT_A_TABLE, ...), so a UI can word it in its own language. */
    errorCode: text('error_code'),
    /** That code's details (the line of an unterminated quote, a limit), as the error carried them. */
    errorDetails: jsonb('error_details').$type<Record<string, unknown>>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('jobs_owner_idx').on(t.ownerId, t.startedAt),
    check('jobs_status_check', inList('status', jobStatuses)),
  ],
);

/** Parsed uploads: the accepted IINs (encoded like audience snapshots) and the row report, for their owner. */
export const uploads = pgTable(
  'uploads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    count: integer('count').notNull(),
    iins: bytea('iins').notNull(),
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('uploads_expires_idx').on(t.expiresAt)],
);

/**
 * Sign-in attempts per throttle key (an account or a client address). An attempt is written before the
 * password is checked and removed if it succeeds, so attempts sent at once are counted at once.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_attempts_key_idx').on(t.key, t.at)],
);

/**
 * Idempotency keys of creates (Stripe's semantics): the first request with a key claims it with the SHA-256 of
 * its body; a repeat with the same body gets the first answer (the campaign, once made), one with another body is
 * refused. Claiming before any work is done means racing repeats never reserve a campaign code.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    fingerprint: text('fingerprint').notNull(),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('idempotency_keys_author_key').on(t.authorId, t.key)],
);
