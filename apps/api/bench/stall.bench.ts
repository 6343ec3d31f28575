// `pnpm bench:api` (second part): the longest event-loop stall of the API process while the heaviest requests
// run at once (issue 13, item 3; goal under 100 ms): a 1,000,000-row CSV upload, a 1,000,000-IIN create (with its
// deploy: APPROVAL_REQUIRED=false), the zip-bomb workbook (0.41 MB holding one 400 MB cell) and 40 anonymous
// 31 MB sign-in bodies, sent by another process (stall-load.ts) so that making them costs this one nothing.
// perf_hooks.monitorEventLoopDelay measures the loop; /healthz is asked every 100 ms as a user would feel it.
// The peer is the same monitor over the same process idle for 3 s, measured first. BENCH_ONLY=upload|create|
// bomb|logins runs one of them.

import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { EMBEDDED_DATABASE, generateDemoData, openEmbeddedServer } from '@campaigns/db';
import pg from 'pg';
import { createApp } from '../src/app';
import { parseSettings, repoRoot } from '../src/env';
import { createAppServer } from '../src/http/server';
import { createLogger } from '../src/logger';

const clients = 200_000;
const dataDir = path.join(repoRoot, 'data', `bench-stall-${clients}`);
const ms = (ns: number) => ns / 1e6;

async function startApi() {
  await mkdir(dataDir, { recursive: true });
  // A fresh app database each run, so codes and uploads start empty.
  const embedded = await openEmbeddedServer(dataDir);
  const admin = new pg.Client({ connectionString: embedded.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${EMBEDDED_DATABASE} WITH (FORCE)`);
  await admin.end();
  await generateDemoData({ dataDir, clients });
  const settings = parseSettings({
    DATA_DIR: dataDir,
    APPROVAL_REQUIRED: 'false',
    DEMO_MODE: 'true',
    LOG_LEVEL: 'warn',
    ADMIN_BUILD_DIR: path.join(dataDir, 'none'),
  });
  const app = await createApp({ settings, logger: createLogger('warn') });
  const server = createAppServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const user = await app.users.create(
    { username: 'bench', role: 'marketer', password: 'bench password 1' },
    null,
  );
  const { token } = await app.auth.createApiToken({
    userId: user.id,
    name: 'bench',
    scopes: ['read', 'write'],
    actorId: null,
  });
  return {
    baseUrl,
    token,
    async close() {
      server.closeAllConnections();
      server.close();
      await app.close();
      await embedded.release();
    },
  };
}

type Api = Awaited<ReturnType<typeof startApi>>;

interface Outcome {
  ms: number;
  outcome: string;
  bytes: number;
}
interface LoadReport {
  wall: number;
  csvUpload: Outcome;
  csvBytes: number;
  created: Outcome;
  bombUpload: Outcome;
  bombBytes: number;
  logins: number[];
}

/** The load process (stall-load.ts), started and ready: it made its bodies before the monitor runs. */
async function startLoad(api: Api) {
  const script = fileURLToPath(new URL('./stall-load.ts', import.meta.url));
  const only = process.env.BENCH_ONLY;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, api.baseUrl, api.token, ...(only ? [only] : [])],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async () => {
    const line = await iterator.next();
    if (line.done) throw new Error('the load process ended early');
    return line.value;
  };
  if ((await next()) !== 'ready') throw new Error('the load process did not start');
  return {
    async run(): Promise<LoadReport> {
      child.stdin.write('go\n');
      const report = JSON.parse(await next()) as LoadReport;
      child.stdin.end();
      return report;
    },
  };
}

async function main() {
  const api = await startApi();
  const load = await startLoad(api);

  const idle = monitorEventLoopDelay({ resolution: 10 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  idle.disable();

  const loop = monitorEventLoopDelay({ resolution: 10 });
  let worstHealth = 0;
  let probing = true;
  // /healthz from this process: its answer time is the API's loop as a caller feels it.
  const probe = (async () => {
    while (probing) {
      const started = performance.now();
      await fetch(`${api.baseUrl}/healthz`).then((r) => r.arrayBuffer());
      worstHealth = Math.max(worstHealth, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  loop.enable();
  const report = await load.run();
  loop.disable();
  probing = false;
  await probe;
  await api.close();

  const statuses = [...new Set(report.logins)].join(', ');
  const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
  console.log(
    `\nEvent loop while the heaviest requests run at once (${(report.wall / 1000).toFixed(1)} s wall)`,
  );
  console.log(
    `  1M-row CSV upload (${mb(report.csvBytes)} MB, ${mb(report.csvUpload.bytes)} MB as JSON): ${report.csvUpload.ms.toFixed(0)} ms, ${report.csvUpload.outcome}`,
  );
  console.log(
    `  1M-IIN create + deploy (${mb(report.created.bytes)} MB JSON): ${report.created.ms.toFixed(0)} ms, ${report.created.outcome}`,
  );
  console.log(
    `  zip bomb (${(report.bombBytes / 1e6).toFixed(2)} MB xlsx, one 400 MB cell): ${report.bombUpload.ms.toFixed(0)} ms, ${report.bombUpload.outcome}`,
  );
  console.log(`  40 anonymous 31 MB sign-in bodies: answered ${statuses}`);
  console.log(
    `  longest stall: ${ms(loop.max).toFixed(0)} ms (p99 ${ms(loop.percentile(99)).toFixed(0)} ms, mean ${ms(loop.mean).toFixed(1)} ms); slowest /healthz ${worstHealth.toFixed(0)} ms`,
  );
  console.log(
    `  peer, the same process idle for 3 s: longest ${ms(idle.max).toFixed(0)} ms, p99 ${ms(idle.percentile(99)).toFixed(0)} ms`,
  );
  console.log(`  goal longest stall < 100 ms: ${ms(loop.max) < 100 ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
