// Opens the app store's database (embedded PGlite or a PostgreSQL server) and applies the committed migrations.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema';

export type StoreSchema = typeof schema;
/** What every repository is written against: a drizzle database or a transaction on either driver. */
export type StoreDatabase = PgDatabase<PgQueryResultHKT, StoreSchema>;

/**
 * `dataDir`: embedded PGlite persisted in that directory ('memory://' keeps it in memory, for tests).
 * `databaseUrl`: a PostgreSQL server through node-postgres (several API instances share it).
 */
export type StoreOptions = { dataDir: string } | { databaseUrl: string; maxConnections?: number };

export interface OpenedDatabase {
  db: StoreDatabase;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Any fixed number: the key of the session-level advisory lock that serialises migrations. */
const MIGRATION_LOCK_KEY = 7_304_117_001;

/**
 * Several API instances may start at once against one server; drizzle's migrator takes no lock of its own
 * (two of them race on CREATE SCHEMA "drizzle"), so the instances take turns under an advisory lock.
 */
async function migrateExclusively(pool: pg.Pool, migrate: () => Promise<void>): Promise<void> {
  const lock = await pool.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate();
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    lock.release();
  }
}

export async function openStoreDatabase(options: StoreOptions): Promise<OpenedDatabase> {
  if ('databaseUrl' in options) {
    // At least two connections: one holds the migration lock while another migrates.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: Math.max(2, options.maxConnections ?? 10),
    });
    // An idle connection the server drops (restart, failover) is an 'error' event on the pool; unheard, it
    // would end the process. The pool discards that connection and the next query opens a new one.
    pool.on('error', () => {});
    const db = drizzlePg(pool, { schema });
    try {
      await migrateExclusively(pool, () => migratePg(db, { migrationsFolder }));
    } catch (error) {
      await pool.end();
      throw error;
    }
    return { db, driver: 'postgres', close: () => pool.end() };
  }
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return { db, driver: 'pglite', close: () => client.close() };
}
