// Where the longest stalls of stall.bench.ts come from: each stall of the API's event loop over a threshold,
// with the garbage-collection pauses inside it (perf_hooks 'gc' entries) and the load's phases running then.
// monitorEventLoopDelay gives the figure; this gives the when and the why.
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

export interface Stall {
  /** Wall clock in ms when the loop stopped answering. */
  at: number;
  ms: number;
}

export interface GcPause {
  at: number;
  ms: number;
  kind: string;
}

export interface Phase {
  name: string;
  from: number;
  to: number;
}

const gcKinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak callbacks' };
const wall = () => performance.timeOrigin + performance.now();

/** Records stalls (a 5 ms timer late by more than `thresholdMs`) and GC pauses until `stop()`. */
export function traceStalls(thresholdMs = 40) {
  const stalls: Stall[] = [];
  const gcs: GcPause[] = [];
  const tickMs = 5;
  let last = wall();
  const timer = setInterval(() => {
    const now = wall();
    const late = now - last - tickMs;
    if (late > thresholdMs) {
      stalls.push({ at: last + tickMs, ms: late });
      if (process.env.STALL_TRACE_MONO)
        console.error(
          `STALL ${Number(process.hrtime.bigint() / 1000n) - Math.round(late * 1000)} ${late.toFixed(0)}`,
        );
    }
    last = now;
  }, tickMs);
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { detail?: { kind?: number } })[]) {
      gcs.push({
        at: performance.timeOrigin + entry.startTime,
        ms: entry.duration,
        kind: gcKinds[entry.detail?.kind ?? 0] ?? 'other',
      });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    stop() {
      clearInterval(timer);
      observer.disconnect();
      return { stalls, gcs };
    },
  };
}

/** The `top` longest stalls, each with the GC time inside it and the phases running at the time. */
export function attributeStalls(trace: { stalls: Stall[]; gcs: GcPause[] }, phases: Phase[], top = 8) {
  return [...trace.stalls]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top)
    .map((stall) => {
      const end = stall.at + stall.ms;
      const inside = trace.gcs.filter((gc) => gc.at < end && gc.at + gc.ms > stall.at);
      const gcMs = inside.reduce(
        (sum, gc) => sum + Math.min(end, gc.at + gc.ms) - Math.max(stall.at, gc.at),
        0,
      );
      const kinds = [...new Set(inside.map((gc) => gc.kind))].join('+');
      const running = phases.filter((p) => p.from < end && p.to > stall.at).map((p) => p.name);
      return { ...stall, gcMs, gcKinds: kinds, running };
    });
}

/** The longest GC pauses of the run: a major one is a stall of its own however the code is sliced. */
export function longestGcs(trace: { gcs: GcPause[] }, top = 5) {
  return [...trace.gcs].sort((a, b) => b.ms - a.ms).slice(0, top);
}

/** Every GC pause of the run added up by kind: what the API thread spent collecting, stall or not. */
export function gcTotals(trace: { gcs: GcPause[] }): { kind: string; count: number; ms: number }[] {
  const byKind = new Map<string, { kind: string; count: number; ms: number }>();
  for (const gc of trace.gcs) {
    const total = byKind.get(gc.kind) ?? { kind: gc.kind, count: 0, ms: 0 };
    total.count++;
    total.ms += gc.ms;
    byKind.set(gc.kind, total);
  }
  return [...byKind.values()].sort((a, b) => b.ms - a.ms);
}

/** Start and end marks of the load paired into phases (an unended phase runs to `until`). */
export function phasesOf(
  marks: { mark: string; edge: 'start' | 'end'; at: number }[],
  until: number,
): Phase[] {
  const open = new Map<string, number>();
  const phases: Phase[] = [];
  for (const m of marks) {
    if (m.edge === 'start') open.set(m.mark, m.at);
    else {
      phases.push({ name: m.mark, from: open.get(m.mark) ?? m.at, to: m.at });
      open.delete(m.mark);
    }
  }
  for (const [name, from] of open) phases.push({ name, from, to: until });
  return phases;
}
