// Opens the app store's database on a PostgreSQL server (the embedded one or any by URL, docs/ARCHITECTURE.md
// "Persistence") through node-postgres, and applies the committed migrations.
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema';

export type StoreSchema = typeof schema;
/** What every repository is written against: the drizzle database or a transaction on it. */
export type StoreDatabase = PgDatabase<PgQueryResultHKT, StoreSchema>;

export interface StoreOptions {
  /** postgres://... of the database that holds the app store. */
  databaseUrl: string;
  maxConnections?: number;
  /** Shown in pg_stat_activity, so an operator sees which process holds which connection. */
  applicationName?: string;
}

export interface OpenedDatabase {
  db: StoreDatabase;
  pool: pg.Pool;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any fixed number: the key of the session-level advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_304_117_001;

/**
 * Several API instances may start at once against one server; drizzle's migrator takes no lock of its own
 * (two of them race on CREATE SCHEMA "drizzle"), so the instances take turns under an advisory lock.
 */
async function migrateExclusively(pool: pg.Pool, run: () => Promise<void>): Promise<void> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await run();
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    lock.release();
  }
}

export async function openStoreDatabase(options: StoreOptions): Promise<OpenedDatabase> {
  // At least two connections: one holds the migration lock while another migrates.
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: Math.max(2, options.maxConnections ?? 10),
    application_name: options.applicationName ?? 'campaigns',
  });
  // An idle connection the server drops (restart, failover) is an 'error' event on the pool; unheard, it
  // would end the process. The pool discards that connection and the next query opens a new one.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema });
  try {
    await migrateExclusively(pool, () => migrate(db, { migrationsFolder }));
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { db, pool, close: () => pool.end() };
}
