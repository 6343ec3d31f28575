// `pnpm bench:api` (second part): the longest event-loop stall of the API process while the heaviest requests
// run at once (issue 13, item 3; goal under 100 ms): a 1,000,000-row CSV upload, a 1,000,000-IIN create (with its
// deploy: APPROVAL_REQUIRED=false), the zip-bomb workbook (0.41 MB holding one 400 MB cell) and 40 anonymous
// 31 MB sign-in bodies, sent by another process (stall-load.ts) so that making them costs this one nothing.
// perf_hooks.monitorEventLoopDelay measures the loop; /healthz is asked every 100 ms as a user would feel it.
// The peer is the same monitor over the same process idle for 3 s, measured first; the floor is a process
// busy in 2 ms slices while the load runs (stall-floor.ts): what the shared machine alone does to a loop.
// stall-trace.ts says when the longest stalls fell, the GC inside them and the load's phases then.
// BENCH_ONLY=upload|create|bomb|logins runs one of them. STALL_TRACE_MONO=1 prints each stall's start on the
// monotonic clock of a --cpu-prof profile (stderr), to find what ran in it.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateDemoData } from '@campaigns/db';
import { repoRoot } from '../src/env';
import { freshDatabase, startBenchApi } from './bench-api';
import { attributeStalls, gcTotals, longestGcs, phasesOf, traceStalls } from './stall-trace';

const clients = 200_000;
const dataDir = path.join(repoRoot, 'data', `bench-stall-${clients}`);
const ms = (ns: number) => ns / 1e6;

async function startApi() {
  // A fresh app database each run, so codes and uploads start empty.
  const database = await freshDatabase(dataDir);
  await generateDemoData({ dataDir, clients });
  const api = await startBenchApi(dataDir, { approvalRequired: false });
  return {
    baseUrl: api.baseUrl,
    token: api.token,
    async close() {
      await api.close();
      await database.release();
    },
  };
}

type Api = Awaited<ReturnType<typeof startApi>>;

interface Outcome {
  ms: number;
  outcome: string;
  bytes: number;
}
interface PhaseMark {
  mark: string;
  edge: 'start' | 'end';
  /** Wall clock in ms (performance.timeOrigin + performance.now()). */
  at: number;
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

/**
 * A child process started with tsx, talking in lines: `next()` reads one, `send()` writes one, `ended()` waits
 * for it to end (its stdin closed first: a child still running keeps this process alive).
 */
async function lineProcess(script: string, args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const iterator = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async next(): Promise<string> {
      const line = await iterator.next();
      if (line.done) throw new Error(`${script} ended early`);
      return line.value;
    },
    send(line: string) {
      child.stdin.write(`${line}\n`);
    },
    async ended(): Promise<void> {
      child.stdin.end();
      if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
    },
  };
}

/** The load process (stall-load.ts), started and ready: it made its bodies before the monitor runs. */
async function startLoad(api: Api) {
  const only = process.env.BENCH_ONLY;
  const load = await lineProcess('./stall-load.ts', [api.baseUrl, api.token, ...(only ? [only] : [])]);
  if ((await load.next()) !== 'ready') throw new Error('the load process did not start');
  return {
    /** Runs the load; its phase marks are collected as they come, then the report line. */
    async run(): Promise<{ report: LoadReport; marks: PhaseMark[] }> {
      load.send('go');
      const marks: PhaseMark[] = [];
      for (;;) {
        const parsed = JSON.parse(await load.next()) as LoadReport | PhaseMark;
        if (!('mark' in parsed)) {
          await load.ended();
          return { report: parsed, marks };
        }
        marks.push(parsed);
      }
    },
  };
}

/** The machine's floor (stall-floor.ts): ready before the load, measuring while it runs. */
async function startFloor() {
  const floor = await lineProcess('./stall-floor.ts', []);
  if ((await floor.next()) !== 'ready') throw new Error('the floor process did not start');
  return {
    go: () => floor.send('go'),
    async stop(): Promise<{ longestMs: number; p99Ms: number }> {
      floor.send('stop');
      const figures = JSON.parse(await floor.next()) as { longestMs: number; p99Ms: number };
      await floor.ended();
      return figures;
    },
  };
}

async function main() {
  const api = await startApi();
  const load = await startLoad(api);
  const floor = await startFloor();

  const idle = monitorEventLoopDelay({ resolution: 10 });
  idle.enable();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  idle.disable();
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  const loadBefore = loadavg()[0]!;

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
  const started = performance.timeOrigin + performance.now();
  const trace = traceStalls();
  floor.go();
  const { report, marks } = await load.run();
  const floorStall = await floor.stop();
  const traced = trace.stop();
  loop.disable();
  const loadAfter = loadavg()[0]!;
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
    `  peer, the same process idle for 3 s: longest ${ms(idle.max).toFixed(0)} ms, p99 ${ms(idle.percentile(99)).toFixed(0)} ms; the stall minus it: ${ms(loop.max - idle.max).toFixed(0)} ms`,
  );
  console.log(
    `  floor, a process busy in 2 ms slices meanwhile (stall-floor.ts): longest ${floorStall.longestMs.toFixed(0)} ms, p99 ${floorStall.p99Ms.toFixed(0)} ms`,
  );
  console.log(
    `  machine load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (2 cores); API thread's heap in use at rest ${heapMb.toFixed(0)} MB`,
  );
  const at = (t: number) => `+${((t - started) / 1000).toFixed(1)} s`;
  console.log('  longest stalls (a 5 ms timer late), the GC inside each and what ran then:');
  for (const s of attributeStalls(traced, phasesOf(marks, started + report.wall))) {
    const gc = s.gcMs > 0 ? `GC ${s.gcMs.toFixed(0)} ms (${s.gcKinds})` : 'no GC';
    console.log(`    ${at(s.at)}: ${s.ms.toFixed(0)} ms, ${gc}; running: ${s.running.join(', ') || 'none'}`);
  }
  const gcs = longestGcs(traced);
  console.log(
    `  longest GC pauses: ${gcs.map((g) => `${g.ms.toFixed(0)} ms ${g.kind} at ${at(g.at)}`).join(', ')}`,
  );
  const totals = gcTotals(traced);
  console.log(
    `  GC in all on the API thread: ${totals.map((t) => `${t.ms.toFixed(0)} ms ${t.kind} (${t.count})`).join(', ')}`,
  );
  console.log(`  goal longest stall < 100 ms: ${ms(loop.max) < 100 ? 'met' : 'NOT met'}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
