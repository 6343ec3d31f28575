// pnpm bench:deploy — a 1-million-user campaign (target + control + user list + off-limit) deployed into the
// PGlite twin with COPY, against the plainest way to load the same rows into the same PGlite in the same run:
// one multi-row INSERT per chunk. BENCH_USERS=100000 for a quicker run.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { completeIin, formatIin } from '@campaigns/core';
import { deployCampaign } from '../src/target/deploy';
import { PgliteTarget, type TwinClient } from '../src/target/pglite/pglite-target';
import { CONTROL_USERS_TABLE, OFF_LIMIT_USERS_TABLE, userColumnsFor, userTables } from '../src/target/tables';

const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const CONTROL_SHARE = 0.1;
const INSERT_CHUNK = 1_000; // rows per INSERT statement (2-4 binds per row, under PostgreSQL's 65535 binds)

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
    const first11 = String(Math.floor(random() * 1e11)).padStart(11, '0');
    const iin = completeIin(first11);
    if (iin) values.add(Number(iin));
  }
  return Float64Array.from(values).sort();
}

function split(iins: Float64Array): { target: Float64Array; control: Float64Array } {
  const every = Math.round(1 / CONTROL_SHARE);
  const control = iins.filter((_, i) => i % every === 0);
  const target = iins.filter((_, i) => i % every !== 0);
  return { target, control };
}

async function plainInsert(
  client: TwinClient,
  table: string,
  code: string,
  iins: Float64Array,
  dates: string[],
) {
  const columns = userColumnsFor(table as (typeof userTables)[number]);
  const width = columns.length;
  await client.transaction(async (tx) => {
    for (let start = 0; start < iins.length; start += INSERT_CHUNK) {
      const end = Math.min(start + INSERT_CHUNK, iins.length);
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (let i = start; i < end; i++) {
        const base = params.length;
        params.push(code, formatIin(iins[i]!), ...dates);
        tuples.push(`(${Array.from({ length: width }, (_, k) => `$${base + k + 1}`).join(', ')})`);
      }
      await tx.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
  });
}

const rate = (rows: number, ms: number) =>
  ms > 0 ? Math.round((rows / ms) * 1000).toLocaleString('en-US') : '-';
const pad = (s: string | number, n: number) => String(s).padStart(n);

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'campaigns-deploy-bench-'));
  try {
    let t = performance.now();
    const iins = audience(USERS);
    const { target: targetIins, control } = split(iins);
    console.log(
      `audience: ${USERS.toLocaleString('en-US')} valid IINs (${targetIins.length} target, ${control.length} control), generated in ${Math.round(performance.now() - t)} ms`,
    );

    const { PGlite } = await import('@electric-sql/pglite');
    const client: TwinClient = await PGlite.create(dataDir);
    const target = await PgliteTarget.over(client);
    const metadata = {
      campaign_name: 'Bench campaign',
      channel: 'Push',
      date_start: '2024-03-01',
      date_end: '2024-03-31',
      out_date: '2024-03-02',
      camp_cnt: USERS,
    };

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
    // PGlite runs inside this process, so its work is in this figure; unlike wall time it barely moves when
    // other processes compete for the CPU.
    const deployCpuMs = (deployCpu.user + deployCpu.system) / 1000;
    if (!result.success) throw new Error(`deploy failed: ${result.errors.join('; ')}`);

    const plain: Record<string, number> = {};
    t = performance.now();
    for (const table of userTables) {
      const rows = table === CONTROL_USERS_TABLE ? control : targetIins;
      const dates = table === OFF_LIMIT_USERS_TABLE ? ['2024-03-01', '2024-03-31'] : [];
      const started = performance.now();
      await plainInsert(client, table, 'C000000002', rows, dates);
      plain[table] = performance.now() - started;
    }
    const plainMs = performance.now() - t;

    console.log(`\nPGlite twin in ${dataDir} (on disk), Node ${process.version}`);
    console.log(
      `${'table'.padEnd(34)}${pad('rows', 10)}${pad('COPY ms', 10)}${pad('rows/s', 12)}${pad('INSERT ms', 11)}${pad('rows/s', 12)}${pad('ratio', 7)}`,
    );
    for (const outcome of result.tables) {
      const insertMs = plain[outcome.table];
      console.log(
        `${outcome.table.padEnd(34)}${pad(outcome.rows, 10)}${pad(outcome.ms, 10)}${pad(rate(outcome.rows, outcome.ms), 12)}` +
          `${pad(insertMs === undefined ? '-' : Math.round(insertMs), 11)}${pad(insertMs === undefined ? '-' : rate(outcome.rows, insertMs), 12)}` +
          `${pad(insertMs === undefined || outcome.ms === 0 ? '-' : `${(insertMs / outcome.ms).toFixed(1)}x`, 7)}`,
      );
    }
    const rows = result.tables.reduce((sum, o) => sum + o.rows, 0);
    console.log(
      `\nwhole deploy (metadata + 4 user tables, ${rows.toLocaleString('en-US')} rows): ${(deployMs / 1000).toFixed(2)} s` +
        ` wall, ${(deployCpuMs / 1000).toFixed(2)} s CPU; load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores` +
        ` (goal < 10 s: ${deployMs < 10_000 ? 'met' : 'NOT met'}); plain INSERTs for the same user rows: ${(plainMs / 1000).toFixed(2)} s`,
    );
    await target.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
