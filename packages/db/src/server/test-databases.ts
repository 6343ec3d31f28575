// Test helper (the package's `./testing` entry): a throw-away database per test file on the run's one server.
// vitest's global setup (test-global-setup.ts) starts the embedded server once per run, builds a migrated
// template database and exports TEST_DATABASE_URL; copying the template is much faster than migrating afresh.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createStore, type Store } from '../store/create-store';

export const TEMPLATE_DATABASE = 'campaigns_template';

export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** The run's server (its `postgres` database): set by the global setup, or by you for an external server. */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'TEST_DATABASE_URL is not set: run the tests through vitest (its global setup starts the server)',
    );
  return url;
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A new database: a copy of the migrated template (default), or empty (`migrated: false`). */
export async function createTempDatabase(options: { migrated?: boolean } = {}): Promise<TempDatabase> {
  const serverUrl = testServerUrl();
  const name = `campaigns_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : TEMPLATE_DATABASE;
  await withServer(serverUrl, async (admin) => {
    // Two copies of one template at the same instant can meet "source database is being accessed".
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 50));
      }
    }
  });
  return {
    url: databaseUrl(serverUrl, name),
    name,
    drop: async () => {
      await withServer(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** An app store on its own fresh database; `close` also drops the database. */
export async function createTestStore(): Promise<Store> {
  const database = await createTempDatabase();
  const store = await createStore({ databaseUrl: database.url, maxConnections: 4 });
  return {
    ...store,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

export async function withServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
