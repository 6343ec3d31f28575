import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { iinsToArrowTable, sortUnique, writeParquetTable } from '@campaigns/core';
import { PostgresTarget, type Store } from '@campaigns/db';
import { createTestStore } from '@campaigns/db/testing';
import { type App, createApp } from '../app';
import type { Role } from '../auth/principal';
import { type Clock, systemClock } from '../clock';
import { parseSettings } from '../env';
import { createAppServer } from '../http/server';
import { createLogger } from '../logger';
import type { CampaignDeployer } from '../services/campaign-deployer';
import { deployerOver } from '../services/target-deployer';

export const testPassword = 'correct horse battery';

export interface TestServer {
  app: App;
  baseUrl: string;
  origin: string;
  dataDir: string;
  target: PostgresTarget;
  /** Every log line written, to prove no secret reaches the log. */
  logLines: string[];
  users: Record<string, { id: string; role: Role }>;
  close(): Promise<void>;
  /** Stops answering at once without waiting for running jobs: a process killed mid-deploy. */
  crash(): Promise<void>;
}

export interface TestServerOptions {
  approvalRequired?: boolean;
  clock?: Clock;
  /** Wraps the real (PostgreSQL twin) deployer, e.g. to inject faults. */
  wrapDeployer?: (real: CampaignDeployer, target: PostgresTarget) => CampaignDeployer;
  /** Share a store and target between two servers (a restart). */
  store?: Store;
  target?: PostgresTarget;
  dataDir?: string;
  env?: Record<string, string>;
  /** IINs placed in the blacklist dataset `ACRM_DW.RB_BLACK_LIST@ACRM`. */
  blacklisted?: string[];
  /**
   * Also register the blacklist `BL_No_worker`, whose file does not exist. Off by default: every registered
   * blacklist is applied unless left out with a reason, and either way an approver must acknowledge it.
   */
  missingBlacklist?: boolean;
  seedUsers?: boolean;
  /** See AppOptions. */
  takeOverDeploys?: boolean;
  workers?: boolean;
}

/** Writes a registry with one real blacklist parquet file (and, when asked, one registered-but-missing one). */
async function writeDatasets(
  dataDir: string,
  blacklisted: string[],
  missingBlacklist: boolean,
): Promise<void> {
  const iins = sortUnique(Float64Array.from(blacklisted.map(Number)));
  await writeFile(path.join(dataDir, 'blacklist.parquet'), writeParquetTable(iinsToArrowTable(iins)));
  await writeFile(
    path.join(dataDir, 'datasets.json'),
    JSON.stringify({
      'ACRM_DW.RB_BLACK_LIST@ACRM': { file: 'blacklist.parquet', iin_column: 'iin', kind: 'blacklist' },
      ...(missingBlacklist
        ? { BL_No_worker: { file: 'missing-blacklist.parquet', iin_column: 'iin', kind: 'blacklist' } }
        : {}),
    }),
  );
}

/**
 * The whole service on an ephemeral loopback port, its store and twin in a throw-away database of the test
 * run's PostgreSQL server.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'api-test-')));
  if (ownsDir) await writeDatasets(dataDir, options.blacklisted ?? [], options.missingBlacklist ?? false);
  const settings = parseSettings({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    APPROVAL_REQUIRED: String(options.approvalRequired ?? true),
    DEMO_MODE: 'true',
    LOG_LEVEL: 'info',
    ADMIN_BUILD_DIR: path.join(dataDir, 'no-admin-build'),
    ...options.env,
  });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const ownsStore = options.store === undefined;
  const store = options.store ?? (await createTestStore());
  const ownsTarget = options.target === undefined;
  const target = options.target ?? (await PostgresTarget.open(store.databaseUrl));
  const real = deployerOver(target);
  const deployer = options.wrapDeployer ? options.wrapDeployer(real, target) : real;
  const app = await createApp({
    settings,
    clock: options.clock ?? systemClock,
    logger,
    deployer,
    store,
    ...(options.takeOverDeploys === undefined ? {} : { takeOverDeploys: options.takeOverDeploys }),
    ...(options.workers === undefined ? {} : { workers: options.workers }),
  });
  const server = createAppServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  const users: TestServer['users'] = {};
  if (options.seedUsers ?? true) {
    for (const [username, role] of [
      ['marketer', 'marketer'],
      ['marketer2', 'marketer'],
      ['approver', 'approver'],
      ['approver2', 'approver'],
      ['admin', 'admin'],
    ] as const) {
      const existing = await app.users.findByUsername(username);
      const user = existing ?? (await app.users.create({ username, role, password: testPassword }, null));
      users[username] = { id: user.id, role };
    }
  }

  return {
    app,
    baseUrl,
    origin: baseUrl,
    dataDir,
    target,
    logLines,
    users,
    async crash() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      if (ownsTarget) await target.close();
      if (ownsStore) await store.close();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
