// Test helper: a throw-away database on a PostgreSQL server, so suites never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TempPostgresDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTempPostgresDatabase(serverUrl: string): Promise<TempPostgresDatabase> {
  const name = `campaigns_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
