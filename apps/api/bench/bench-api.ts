// The API as the benches run it (api.bench.ts, stall.bench.ts): in this process on an ephemeral port, on the
// embedded PostgreSQL server of the bench's DATA_DIR, with a marketer and a read + write API token.
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type DatabaseServer, EMBEDDED_DATABASE, openEmbeddedServer } from '@campaigns/db';
import pg from 'pg';
import { type App, createApp } from '../src/app';
import { parseSettings } from '../src/env';
import { createAppServer } from '../src/http/server';
import { createLogger } from '../src/logger';

export interface BenchApi {
  app: App;
  baseUrl: string;
  /** The marketer's API token (read + write). */
  token: string;
  userId: string;
  close(): Promise<void>;
}

/** Listens on an ephemeral loopback port: the base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The embedded server of `dataDir`, its app database dropped: codes (C000000001 on) and uploads start empty. */
export async function freshDatabase(dataDir: string): Promise<DatabaseServer> {
  await mkdir(dataDir, { recursive: true });
  const server = await openEmbeddedServer(dataDir);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${EMBEDDED_DATABASE} WITH (FORCE)`);
  await admin.end();
  return server;
}

/** The API on `dataDir`'s datasets; APPROVAL_REQUIRED=false makes a create deploy at once. */
export async function startBenchApi(
  dataDir: string,
  options: { approvalRequired: boolean },
): Promise<BenchApi> {
  const settings = parseSettings({
    DATA_DIR: dataDir,
    APPROVAL_REQUIRED: String(options.approvalRequired),
    DEMO_MODE: 'true',
    LOG_LEVEL: 'warn',
    ADMIN_BUILD_DIR: path.join(dataDir, 'none'),
  });
  // Its workers started at once, as `pnpm start` does (main.ts).
  const app = await createApp({ settings, logger: createLogger('warn'), startWorkers: true });
  const server = createAppServer(app);
  const baseUrl = await listen(server);
  const user = await app.users.create(
    { username: 'bench', role: 'marketer', password: `${randomUUID()}-Bench9` },
    null,
  );
  const { token } = await app.auth.createApiToken({
    userId: user.id,
    name: 'bench',
    scopes: ['read', 'write'],
    actorId: null,
  });
  return {
    app,
    baseUrl,
    token,
    userId: user.id,
    async close() {
      server.closeAllConnections();
      server.close();
      await app.close();
    },
  };
}
