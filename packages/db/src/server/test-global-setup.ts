// vitest global setup (root vitest.config.ts): one database server for the whole test run. The embedded server
// in the system's temp directory (one per checkout, kept initialised between runs; there the postgres account
// can always reach it, wherever the checkout lives), unless TEST_DATABASE_URL already names a server. Builds
// the migrated template that test-databases.ts copies for each test file.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { REPO_ROOT } from '../datasets/data-dir';
import { JobQueue } from '../jobs/job-queue';
import { createStore } from '../store/create-store';
import { openEmbeddedServer } from './embedded-server';
import { databaseUrl, TEMPLATE_DATABASE, withServer } from './test-databases';

export default async function setup(): Promise<() => Promise<void>> {
  const external = process.env.TEST_DATABASE_URL;
  const checkout = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 12);
  const server = external
    ? null
    : await openEmbeddedServer(path.join(tmpdir(), `campaigns-test-${checkout}`));
  const serverUrl = external ?? server?.url ?? '';
  process.env.TEST_DATABASE_URL = serverUrl;
  // Held for the whole run: another run on the same checkout sees a client and leaves the server running
  // when it ends (the server stops when its last client leaves).
  const holder = new pg.Client({ connectionString: serverUrl, application_name: 'campaigns-test-run' });
  await holder.connect();
  await withServer(serverUrl, async (admin) => {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  });
  // The template holds the migrated app store and pg-boss's schema, so each copy starts ready.
  const templateUrl = databaseUrl(serverUrl, TEMPLATE_DATABASE);
  const template = await createStore({ databaseUrl: templateUrl, maxConnections: 2 });
  await template.close();
  const queue = await JobQueue.open(templateUrl);
  await queue.stop();
  return async () => {
    await holder.end();
    await server?.release();
  };
}
