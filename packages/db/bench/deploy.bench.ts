// pnpm bench:deploy — a 1-million-user campaign (900k target + 100k control + user list + off-limit) deployed
// into the PostgreSQL twin on the embedded server, beside a physical peer in the same run: a plain
// `COPY ... FROM STDIN` of the same rows per table, prebuilt in memory before the clock starts, through the same
// driver into the same tables, the four tables at once on four connections as ours does. Also prints the event
// loop's longest stall during the deploy. BENCH_USERS=100000 for a quicker run.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { completeIin, formatIin } from '@campaigns/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { REPO_ROOT } from '../src/datasets/data-dir';
import { deployCampaign } from '../src/deploy-target/deploy';
import { PostgresTarget } from '../src/deploy-target/postgres/postgres-target';
import {
  CONTROL_USERS_TABLE,
  OFF_LIMIT_USERS_TABLE,
  userColumnsFor,
  userTables,
} from '../src/deploy-target/tables';
import { openEmbeddedServer } from '../src/server/embedded-server';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const CONTROL_SHARE = 0.1;
const DATES = ['2024-03-01', '2024-03-31'];

/** Deterministic valid IINs, sorted and unique. */
function audience(n: number): Float64Array {
  // mulberry32: a small deterministic PRNG (integer arithmetic via Math.imul, no precision loss).
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  const values = new Set<number>();
  while (values.size < n) {
    const iin = completeIin(String(Math.floor(random() * 1e11)).padStart(11, '0'));
    if (iin) values.add(Number(iin));
  }
  return Float64Array.from(values).sort();
}

function split(iins: Float64Array): { target: Float64Array; control: Float64Array } {
  const every = Math.round(1 / CONTROL_SHARE);
  return { target: iins.filter((_, i) => i % every !== 0), control: iins.filter((_, i) => i % every === 0) };
}

/** The peer's rows as COPY text, built before timing starts. */
function prebuiltCsv(code: string, iins: Float64Array, dates: string[]): Buffer {
  const tail = dates.length > 0 ? `\t${dates.join('\t')}` : '';
  const lines: string[] = new Array(iins.length);
  for (let i = 0; i < iins.length; i++) lines[i] = `${code}\t${formatIin(iins[i]!)}${tail}\n`;
  return Buffer.from(lines.join(''));
}

const rate = (rows: number, ms: number) => (ms > 0 ? Math.round((rows / ms) * 1000) : 0);
const fmt = (n: number) => n.toLocaleString('en-US');
const pad = (s: string | number, n: number) => String(s).padStart(n);

async function main() {
  const dataDir = mkdtempSync(path.join(REPO_ROOT, 'data', 'bench-deploy-'));
  const server = await openEmbeddedServer(dataDir);
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('CREATE DATABASE bench');
    await admin.end();
    const url = new URL(server.url);
    url.pathname = '/bench';

    let t = performance.now();
    const iins = audience(USERS);
    const { target: targetIins, control } = split(iins);
    console.log(
      `audience: ${fmt(USERS)} valid IINs (${fmt(targetIins.length)} target, ${fmt(control.length)} control), generated in ${Math.round(performance.now() - t)} ms`,
    );
    const target = await PostgresTarget.open(url.toString());
    const metadata = {
      campaign_name: 'Bench campaign',
      channel: 'Push',
      date_start: DATES[0],
      date_end: DATES[1],
      out_date: '2024-03-02',
      camp_cnt: USERS,
    };

    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    t = performance.now();
    const cpu = process.cpuUsage();
    const result = await deployCampaign(target, {
      campaignCode: 'C000000001',
      kind: 'RB1',
      metadata,
      target: targetIins,
      control,
    });
    const deployMs = performance.now() - t;
    const deployCpu = process.cpuUsage(cpu);
    stalls.disable();
    if (!result.success) throw new Error(`deploy failed: ${result.errors.join('; ')}`);

    // The peer: the same rows per table, prebuilt, one COPY each through the same driver into the same tables,
    // all four at once on connections opened beforehand.
    const bodies = userTables.map((table) =>
      prebuiltCsv(
        'C000000002',
        table === CONTROL_USERS_TABLE ? control : targetIins,
        table === OFF_LIMIT_USERS_TABLE ? DATES : [],
      ),
    );
    const peers = await Promise.all(
      userTables.map(async () => {
        const client = new pg.Client({ connectionString: url.toString() });
        await client.connect();
        return client;
      }),
    );
    const peerMs: Record<string, number> = {};
    // The same measure while the peer loads (its thread only pipes buffers): what the machine itself adds.
    const peerStalls = monitorEventLoopDelay({ resolution: 5 });
    peerStalls.enable();
    const peerStarted = performance.now();
    await Promise.all(
      userTables.map(async (table, i) => {
        const client = peers[i]!;
        const started = performance.now();
        await client.query('BEGIN');
        await pipeline(
          Readable.from([bodies[i]!]),
          client.query(copyFrom(`COPY ${table} (${userColumnsFor(table).join(', ')}) FROM STDIN`)),
        );
        await client.query('COMMIT');
        peerMs[table] = performance.now() - started;
      }),
    );
    const peerWallMs = performance.now() - peerStarted;
    peerStalls.disable();
    for (const client of peers) await client.end();
    await target.close();

    console.log(`\nPostgreSQL twin on the embedded server (PostgreSQL 18), Node ${process.version}`);
    console.log(
      `${'table'.padEnd(34)}${pad('rows', 10)}${pad('ours ms', 9)}${pad('rows/s', 11)}${pad('peer ms', 9)}${pad('rows/s', 11)}${pad('ours/peer', 11)}`,
    );
    let rowsTotal = 0;
    for (const outcome of result.tables) {
      rowsTotal += outcome.rows;
      const p = peerMs[outcome.table];
      console.log(
        `${outcome.table.padEnd(34)}${pad(fmt(outcome.rows), 10)}${pad(outcome.ms, 9)}${pad(fmt(rate(outcome.rows, outcome.ms)), 11)}` +
          `${pad(p === undefined ? '-' : Math.round(p), 9)}${pad(p === undefined ? '-' : fmt(rate(outcome.rows, p)), 11)}` +
          `${pad(p === undefined || outcome.ms === 0 ? '-' : (p / outcome.ms).toFixed(2), 11)}`,
      );
    }
    const userRows = rowsTotal - 1;
    const throughput = peerWallMs / deployMs;
    console.log(
      `\nwhole deploy (metadata + 4 user tables, ${fmt(rowsTotal)} rows): ${(deployMs / 1000).toFixed(2)} s wall ` +
        `(goal < 3 s: ${deployMs < 3000 ? 'met' : 'NOT met'}), ${((deployCpu.user + deployCpu.system) / 1e6).toFixed(2)} s CPU in this process`,
    );
    console.log(
      `user rows: ours ${fmt(rate(userRows, deployMs))} rows/s (the whole deploy), peer (prebuilt COPYs) ${fmt(rate(userRows, peerWallMs))} rows/s: ` +
        `${throughput.toFixed(2)} of the peer (goal >= 0.7: ${throughput >= 0.7 ? 'met' : 'NOT met'})`,
    );
    const longest = stalls.max / 1e6;
    console.log(
      `event loop during the deploy: longest stall ${longest.toFixed(1)} ms (goal < 100 ms: ${longest < 100 ? 'met' : 'NOT met'}), ` +
        `p99 ${(stalls.percentile(99) / 1e6).toFixed(1)} ms; during the peer's load (nothing of ours runs) ${(peerStalls.max / 1e6).toFixed(1)} ms; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`,
    );
  } finally {
    await server.release();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
