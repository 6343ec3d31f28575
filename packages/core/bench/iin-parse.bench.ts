// IIN column parse + validate throughput against a plain baseline in the same run.
//   pnpm --filter @campaigns/core bench            (10 million rows, 5 runs each)
//   IIN_BENCH_ROWS=1000000 IIN_BENCH_RUNS=3 pnpm --filter @campaigns/core bench
// Baseline: Number() per string into a Float64Array, no validation at all. Goal: parseIinColumn (normalise, check
// digit, date warnings, duplicate detection, report) costs at most 1.5x the baseline.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { completeIin, parseIinColumn } from '../src/index';

// A full GC before each timed run, so neither side pays for garbage the other left (10 million live strings make
// each major GC cost hundreds of milliseconds).
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const rows = Number(process.env.IIN_BENCH_ROWS ?? 10_000_000);
const runs = Number(process.env.IIN_BENCH_RUNS ?? 5);

/** Deterministic pseudo-random numbers (LCG, Numerical Recipes constants). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `count` distinct valid IINs with real birth dates (1940-2007) and century/sex digits, in shuffled order.
 * Prefixes are enumerated (date x sex x serial), never drawn at random, so there are no duplicates.
 */
function buildIins(count: number): string[] {
  const dates: Array<{ yymmdd: string; year: number }> = [];
  for (let day = Date.UTC(1940, 0, 1); day <= Date.UTC(2007, 11, 31); day += 86_400_000) {
    const date = new Date(day);
    const year = date.getUTCFullYear();
    const yymmdd = `${String(year % 100).padStart(2, '0')}${String(date.getUTCMonth() + 1).padStart(2, '0')}${String(date.getUTCDate()).padStart(2, '0')}`;
    dates.push({ yymmdd, year });
  }
  const iins: string[] = [];
  for (let i = 0; iins.length < count; i++) {
    const { yymmdd, year } = dates[i % dates.length]!;
    const rest = Math.floor(i / dates.length);
    const female = rest % 2;
    const centuryDigit = (year < 2000 ? 3 : 5) + female;
    const serial = String(Math.floor(rest / 2)).padStart(4, '0');
    const iin = completeIin(`${yymmdd}${centuryDigit}${serial}`);
    if (iin !== null) iins.push(iin);
  }
  const random = lcg(20_240_115);
  for (let i = iins.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [iins[i], iins[j]] = [iins[j]!, iins[i]!];
  }
  // Flatten each string (the swaps above keep them as they are; completeIin's concatenation made cons strings),
  // so neither side below pays for flattening on its first read.
  return iins.map((iin) => iin.split('').join(''));
}

function baseline(values: string[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function format(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

const buildStart = performance.now();
const values = buildIins(rows);
console.log(
  `built ${format(values.length)} valid 12-character IINs in ${format(performance.now() - buildStart)} ms`,
);

const baselineMs: number[] = [];
const parseMs: number[] = [];
let checksum = 0;
for (let run = 0; run < runs; run++) {
  // Alternate the two so that both see the same machine state (GC, other processes on the 2 shared cores).
  collectGarbage();
  let start = performance.now();
  const numbers = baseline(values);
  baselineMs.push(performance.now() - start);
  checksum += numbers[numbers.length - 1] ?? 0;

  collectGarbage();
  start = performance.now();
  const report = parseIinColumn(values);
  parseMs.push(performance.now() - start);
  if (report.accepted !== values.length || report.rejected.length !== 0) {
    throw new Error(
      `expected every row accepted, got ${report.accepted} and ${report.rejected.length} rejected`,
    );
  }
  checksum += report.iins[report.iins.length - 1] ?? 0;
}

const baseMedian = median(baselineMs);
const parseMedian = median(parseMs);
const line = (label: string, ms: number, all: number[]) =>
  `${label.padEnd(38)} median ${format(ms).padStart(6)} ms  ${format((values.length / ms) * 1000).padStart(12)} rows/s  (runs: ${all.map(format).join(', ')} ms)`;
console.log(line('baseline: Number() per string', baseMedian, baselineMs));
console.log(line('parseIinColumn: validate + dedupe', parseMedian, parseMs));
console.log(`ratio parse/baseline: ${(parseMedian / baseMedian).toFixed(2)}x of medians (goal <= 1.5x)`);
// The fastest runs are the least disturbed by other processes on a shared machine.
const fastestRatio = Math.min(...parseMs) / Math.min(...baselineMs);
console.log(`ratio of the fastest runs: ${fastestRatio.toFixed(2)}x   [checksum ${checksum}]`);
