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

export async function openStoreDatabase(options: StoreOptions): Promise<OpenedDatabase> {
  if ('databaseUrl' in options) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.maxConnections ?? 10 });
    const db = drizzlePg(pool, { schema });
    await migratePg(db, { migrationsFolder });
    return { db, driver: 'postgres', close: () => pool.end() };
  }
  if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create(options.dataDir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return { db, driver: 'pglite', close: () => client.close() };
}
