// `pnpm bench:filter`: our audience pipeline against DuckDB running the same five seed filters in SQL over the same
// parquet files, at 10 million clients with a 5-million-IIN input, on both demo layouts: `sorted` (our writer,
// IIN-ordered value files, int64 IINs) and `export` (what the bank's exports look like: rows in no order, text
// IINs, upper-case names, written by DuckDB). Each layout runs in its own child process, so its peak RSS is its
// own; inside it ours (cold = first decode, warm = datasets cached; 1 and 2 threads) and DuckDB run interleaved,
// round after round. Checks that all give the same counts, prints medians, ratios and peak RSS, then the CSV and
// XLSX upload parse rates for 1 million rows. Not a test: it prints figures, it asserts only counts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { completeIin, readParquetTable, writeParquetTable } from '@campaigns/core';
import { Table } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { int64IinColumn } from '../src/datasets/demo-datasets';
import {
  DatasetStore,
  DEMO_DATA_VERSION,
  DEMO_LAYOUTS,
  DEMO_META_FILE,
  type DemoLayout,
  LoaderPool,
  parseCsvUpload,
  parseXlsxUpload,
  readRegistry,
  resolveDataDir,
  runAudience,
  SEED_BLACKLISTS,
} from '../src/index';
import { type BenchFilterConfig, duckRunner, type StepCounts } from './filter-bench-duckdb';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 10_000_000);
const INPUT = Math.floor(CLIENTS / 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_PER_ROUND = 3;
const UPLOAD_ROWS = 1_000_000;
/** `BENCH_LAYOUTS=export` runs one layout only (while developing). */
const LAYOUTS = (process.env.BENCH_LAYOUTS?.split(',') ?? DEMO_LAYOUTS) as DemoLayout[];

const dataDir = resolveDataDir({ DATA_DIR: process.env.DATA_DIR });
const benchDir = (layout: DemoLayout) =>
  path.join(
    dataDir,
    `${CLIENTS === 10_000_000 ? 'bench-10m' : `bench-${CLIENTS}`}${layout === 'sorted' ? '' : `-${layout}`}`,
  );
const config: BenchFilterConfig = {
  blacklist_tables: [...SEED_BLACKLISTS],
  devices: ['android', 'iOS'],
  push_streams: ['Переводы', 'Платежи', 'Маркет'],
  mau_only: true,
  products: ['Кредитная карта', 'Депозит'],
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRss = () => process.resourceUsage().maxRSS * 1024;

/**
 * Collects the garbage of the runs before (untimed): the stores of earlier cold and restart runs are dropped by
 * then, and a service holds one store, so the peak RSS should not count several runs' leftovers at once.
 */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

/** The goals of issue 11, each as a ratio to DuckDB in the same run (RSS in bytes). */
const GOALS = { cold2: 1.0, cold1: 1.3, restart: 0.15, warm: 0.07, rssBytes: 2 * 1024 ** 3 };

async function ensureData(layout: DemoLayout): Promise<void> {
  const dir = benchDir(layout);
  const metaFile = path.join(dir, DEMO_META_FILE);
  const meta = existsSync(metaFile) ? JSON.parse(await readFile(metaFile, 'utf8')) : undefined;
  if (
    meta?.version === DEMO_DATA_VERSION &&
    meta?.clients === CLIENTS &&
    (meta?.layout ?? 'sorted') === layout
  )
    return;
  console.log(`generating ${CLIENTS.toLocaleString('en')}-client ${layout} data into ${dir} (once)`);
  // A child process, so the generator's memory does not count in this process's peak RSS.
  const script = fileURLToPath(new URL('../scripts/demo-data.ts', import.meta.url));
  const args = ['--clients', String(CLIENTS), '--data-dir', dir, '--layout', layout];
  const child = spawnSync(process.execPath, [...process.execArgv, script, ...args], { stdio: 'inherit' });
  if (child.status !== 0) throw new Error('demo data generation failed');
}

/**
 * The first INPUT clients of the sorted layout's (shuffled) client list: a random half of the clients, in no order.
 * Both layouts hold the same sets, so the same input gives the same counts on either.
 */
async function loadInput(): Promise<{ iins: Float64Array; file: string }> {
  const dir = benchDir('sorted');
  const file = path.join(dir, `input-${INPUT}.parquet`);
  const table = readParquetTable(await readFile(path.join(dir, 'clients.parquet')));
  const all = table.getChild('iin')!.toArray() as BigInt64Array;
  const halves = new Int32Array(all.buffer, all.byteOffset, INPUT * 2);
  const iins = new Float64Array(INPUT);
  for (let i = 0; i < INPUT; i++) iins[i] = halves[2 * i + 1]! * 4294967296 + (halves[2 * i]! >>> 0);
  if (!existsSync(file)) await writeFile(file, writeParquetTable(new Table({ iin: int64IinColumn(iins) })));
  return { iins, file };
}

function countsOf(stats: Record<string, number>): StepCounts {
  return {
    initial_count: stats.initial_count!,
    after_blacklist: stats.after_blacklist!,
    after_device: stats.after_device!,
    after_push: stats.after_push!,
    after_mau: stats.after_mau!,
    after_product: stats.after_product!,
  };
}

/** What one layout's child process reports (medians in ms). */
interface LayoutFigures {
  layout: DemoLayout;
  duckdb: number;
  duckThreads: number;
  variants: Record<string, { cold: number; restart: number; warm: number; load: number; filter: number }>;
  peakRss: number;
  cachedBytes: number;
  counts: StepCounts;
  mismatches: string[];
}

const RESULT_PREFIX = 'LAYOUT-FIGURES ';

/** One layout, in this process: interleaved rounds of ours (cold and warm, 1 and 2 threads) and DuckDB. */
async function benchLayout(layout: DemoLayout): Promise<LayoutFigures> {
  const dir = benchDir(layout);
  const { registry } = await readRegistry(dir);
  const input = await loadInput();
  console.log(
    `\n[${layout} layout] ${CLIENTS.toLocaleString('en')} clients, ${INPUT.toLocaleString('en')}-IIN input, filters: ${JSON.stringify(config)}`,
  );
  let reference: StepCounts | undefined;
  const mismatches: string[] = [];
  const check = (label: string, counts: StepCounts) => {
    if (!reference) reference = counts;
    else if (JSON.stringify(counts) !== JSON.stringify(reference)) {
      mismatches.push(`${label}: ${JSON.stringify(counts)}\n  expected ${JSON.stringify(reference)}`);
    }
  };
  // Two variants: everything on this thread, and with a pool (datasets decode two at a time, the input is sorted
  // on two threads). The pool is started before timing, as a server starts it once. The machine is shared, so the
  // contenders run interleaved, round after round, and see the same background load.
  const pool = new LoaderPool(2);
  await pool.sortUnique(Float64Array.from({ length: 300_000 }, (_, i) => i));
  const variants = { '1 thread': undefined, '2 threads': pool } as const;
  const times: Record<
    string,
    { cold: number[]; restart: number[]; warm: number[]; load: number[]; filter: number[] }
  > = {};
  for (const label of Object.keys(variants))
    times[label] = { cold: [], restart: [], warm: [], load: [], filter: [] };
  // The prepared cache this build writes (a fresh one: made by this code, from these files), as a server's
  // background preparation leaves it; the warm store is such a server after preparing.
  const cacheDir = path.join(dir, 'cache-bench');
  await rm(cacheDir, { recursive: true, force: true });
  const t0 = performance.now();
  await new DatasetStore(dir, { cacheDir, mergedIndex: true, pool }).prepareAll();
  console.log(`[${layout}] prepared cache written in ${ms(performance.now() - t0)} (2 threads)`);
  /**
   * A service after its background preparation: the datasets and the merged index read from the prepared cache
   * (untimed), one filter run to warm up. Made afresh each round after the cold and restart runs and dropped
   * before the next round: no service holds a warm store while cold ones decode beside it.
   */
  const warmService = async () => {
    const store = new DatasetStore(dir, { cacheDir, mergedIndex: true });
    await store.prepareAll();
    await runAudience(store, { iins: input.iins, config });
    return store;
  };
  const cachedBytes = (await (await warmService()).describeDatasets()).reduce(
    (sum, ds) => sum + (ds.memory_bytes ?? 0),
    0,
  );
  const duck = await duckRunner(dir, registry, config, input.file);
  const duckTimes: number[] = [];
  let ourPeak = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [label, usePool] of Object.entries(variants)) {
      // Cold: the first decode of the files, nothing on disk.
      const store = new DatasetStore(dir, { pool: usePool, cacheDir: null });
      collect();
      const t = performance.now();
      const result = await runAudience(store, { iins: input.iins, config }, undefined, { pool: usePool });
      times[label]!.cold.push(performance.now() - t);
      times[label]!.load.push(result.timings.load_ms);
      times[label]!.filter.push(result.timings.filter_ms);
      check(`ours cold ${label} #${round}`, countsOf(result.stats));
      if (round === 1 && !usePool)
        console.log('stats:', result.stats, result.warnings.length ? result.warnings : '');
    }
    for (const [label, usePool] of Object.entries(variants)) {
      // Restart: a new process's first filter, with the prepared cache on disk.
      const store = new DatasetStore(dir, { pool: usePool, cacheDir, mergedIndex: true });
      collect();
      const t = performance.now();
      const result = await runAudience(store, { iins: input.iins, config }, undefined, { pool: usePool });
      times[label]!.restart.push(performance.now() - t);
      check(`ours restart ${label} #${round}`, countsOf(result.stats));
    }
    collect();
    const warmStore = await warmService();
    for (const [label, usePool] of Object.entries(variants)) {
      for (let r = 0; r < WARM_PER_ROUND; r++) {
        collect();
        const t = performance.now();
        const result = await runAudience(warmStore, { iins: input.iins, config }, undefined, {
          pool: usePool,
        });
        times[label]!.warm.push(performance.now() - t);
        check(`ours warm ${label} #${round}.${r + 1}`, countsOf(result.stats));
      }
    }
    // DuckDB runs in this process too: our peak is read before its first run.
    if (round === 1) ourPeak = peakRss();
    collect();
    const t = performance.now();
    const counts = await duck.run();
    duckTimes.push(performance.now() - t);
    check(`duckdb #${round}`, counts);
  }
  await pool.close();
  const duckThreads = await duck.threads();
  duck.close();

  const d = median(duckTimes);
  console.log(`[${layout}] each run, ms: duckdb ${duckTimes.map(ms).join(', ')}`);
  for (const [label, { cold, restart, warm }] of Object.entries(times)) {
    console.log(
      `[${layout}]   ours ${label}: cold ${cold.map(ms).join(', ')}; restart ${restart.map(ms).join(', ')}; warm ${warm.map(ms).join(', ')}`,
    );
    // Background load changes from minute to minute here: ratios within each round are the steadier figure.
    const perRound = duckTimes.map((duckMs, r) => {
      const roundWarm = median(warm.slice(r * WARM_PER_ROUND, (r + 1) * WARM_PER_ROUND));
      return `${(roundWarm / duckMs).toFixed(3)}/${(restart[r]! / duckMs).toFixed(3)}/${(cold[r]! / duckMs).toFixed(2)}`;
    });
    console.log(
      `[${layout}]   per round ${label} (warm/duckdb, restart/duckdb, cold/duckdb): ${perRound.join('  ')}`,
    );
  }
  return {
    layout,
    duckdb: d,
    duckThreads,
    variants: Object.fromEntries(
      Object.entries(times).map(([label, t]) => [
        label,
        {
          cold: median(t.cold),
          restart: median(t.restart),
          warm: median(t.warm),
          load: median(t.load),
          filter: median(t.filter),
        },
      ]),
    ),
    peakRss: ourPeak,
    cachedBytes,
    counts: reference!,
    mismatches,
  };
}

/**
 * The peak RSS of one service's life on a layout, in a process of its own: the audience worker's preparation (two
 * threads, nothing prepared on disk yet: every file decoded, the cache written), then warm runs of the filter.
 */
async function servicePeak(layout: DemoLayout): Promise<{ peakRss: number; prepareMs: number }> {
  const dir = benchDir(layout);
  const input = await loadInput();
  const cacheDir = path.join(dir, 'cache-service');
  await rm(cacheDir, { recursive: true, force: true });
  const pool = new LoaderPool(2);
  const store = new DatasetStore(dir, { pool, cacheDir, mergedIndex: true });
  const t = performance.now();
  await store.prepareAll();
  const prepareMs = performance.now() - t;
  for (let r = 0; r < WARM_PER_ROUND; r++)
    await runAudience(store, { iins: input.iins, config }, undefined, { pool });
  await pool.close();
  await rm(cacheDir, { recursive: true, force: true });
  return { peakRss: peakRss(), prepareMs };
}

/** Runs one layout's part in a child process (its own peak RSS) and reads the figures it prints. */
function inChild<T>(layout: DemoLayout, mode: 'layout' | 'service-rss'): T {
  const script = fileURLToPath(import.meta.url);
  // --expose-gc: garbage of one contender's run is collected before the next (see collect).
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, script, `--${mode}`, layout],
    {
      stdio: ['inherit', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const lines = child.stdout.split('\n');
  for (const line of lines) if (!line.startsWith(RESULT_PREFIX) && line) console.log(line);
  const result = lines.find((line) => line.startsWith(RESULT_PREFIX));
  if (child.status !== 0 || !result)
    throw new Error(`the ${layout} layout's run failed (exit ${child.status})`);
  return JSON.parse(result.slice(RESULT_PREFIX.length)) as T;
}

function report(all: LayoutFigures[]): boolean {
  const verdict = (ratio: number, goal: number) =>
    `${ratio.toFixed(3)} (goal <= ${goal}${ratio <= goal ? ', met' : ', NOT met'})`;
  let agree = true;
  console.log('\nmedians of the interleaved rounds, and ratios to DuckDB in the same run:');
  for (const f of all) {
    console.log(`[${f.layout} layout] DuckDB (${f.duckThreads} threads) ${ms(f.duckdb)}`);
    for (const [label, v] of Object.entries(f.variants)) {
      const coldGoal = label === '1 thread' ? GOALS.cold1 : GOALS.cold2;
      console.log(
        `  ours ${label}: cold ${ms(v.cold)} (loading ${ms(v.load)}, filtering ${ms(v.filter)}) = ${verdict(v.cold / f.duckdb, coldGoal)}; restart (prepared cache) ${ms(v.restart)} = ${verdict(v.restart / f.duckdb, GOALS.restart)}; warm ${ms(v.warm)} = ${verdict(v.warm / f.duckdb, GOALS.warm)}`,
      );
    }
    const rssMet = f.peakRss < GOALS.rssBytes ? 'met' : 'NOT met';
    console.log(
      `  peak RSS (ours, before DuckDB ran) ${mb(f.peakRss)} (goal < ${mb(GOALS.rssBytes)}, ${rssMet}); cached vectors ${mb(f.cachedBytes)}`,
    );
    if (f.mismatches.length > 0) {
      agree = false;
      console.error(`  COUNT MISMATCH:\n${f.mismatches.join('\n')}`);
    } else
      console.log(
        `  counts: ours cold, ours warm and DuckDB agree on every step: ${JSON.stringify(f.counts)}`,
      );
  }
  if (all.length === 2 && JSON.stringify(all[0]!.counts) !== JSON.stringify(all[1]!.counts)) {
    agree = false;
    console.error('  COUNT MISMATCH between the layouts (they hold the same sets)');
  }
  return agree;
}

async function uploadFiles(): Promise<{ csv: string; xlsx: string }> {
  const csv = path.join(benchDir('sorted'), 'upload-1m-v2.csv');
  const xlsx = path.join(benchDir('sorted'), 'upload-1m-v2.xlsx');
  const iins: string[] = [];
  for (let k = 0; iins.length < UPLOAD_ROWS; k++) {
    // Half born in 2000-2009 (one leading 0): stored as numbers in the XLSX, they lose it and must be restored.
    const serial = (k * 7919) % 1e9;
    const first11 =
      k % 2 === 0
        ? `0${1 + (k % 9)}${String(serial).padStart(9, '0')}`
        : `8${String(serial).padStart(10, '0')}`;
    const iin = completeIin(first11);
    if (iin) iins.push(iin);
  }
  if (!existsSync(csv)) {
    await writeFile(csv, `\uFEFFФИО;ИИН\n${iins.map((iin, i) => `Клиент ${i};${iin}`).join('\n')}\n`);
  }
  if (!existsSync(xlsx)) {
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsx, useSharedStrings: false });
    const sheet = writer.addWorksheet('clients');
    sheet.addRow(['ФИО', 'ИИН']).commit();
    for (let i = 0; i < iins.length; i++) sheet.addRow([`Клиент ${i}`, Number(iins[i])]).commit();
    sheet.commit();
    await writer.commit();
  }
  return { csv, xlsx };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { layout: { type: 'string' }, 'service-rss': { type: 'string' } },
  });
  if (values['service-rss']) {
    console.log(`${RESULT_PREFIX}${JSON.stringify(await servicePeak(values['service-rss'] as DemoLayout))}`);
    return;
  }
  if (values.layout) {
    const figures = await benchLayout(values.layout as DemoLayout);
    console.log(`${RESULT_PREFIX}${JSON.stringify(figures)}`);
    return;
  }
  await ensureData('sorted'); // the input comes from its client list
  for (const layout of LAYOUTS) await ensureData(layout);
  const figures = LAYOUTS.map((layout) => inChild<LayoutFigures>(layout, 'layout'));
  if (!report(figures)) process.exitCode = 1;
  for (const layout of LAYOUTS) {
    const service = inChild<Awaited<ReturnType<typeof servicePeak>>>(layout, 'service-rss');
    const met = service.peakRss < GOALS.rssBytes ? 'met' : 'NOT met';
    console.log(
      `[${layout} layout] one service's peak RSS (preparation with 2 threads, every file decoded, then ${WARM_PER_ROUND} warm runs): ${mb(service.peakRss)} (goal < ${mb(GOALS.rssBytes)}, ${met}); preparation ${ms(service.prepareMs)}`,
    );
  }

  const uploads = await uploadFiles();
  let t = performance.now();
  const csv = parseCsvUpload(await readFile(uploads.csv));
  const csvMs = performance.now() - t;
  const sorted = benchDir('sorted');
  const duck = await duckRunner(
    sorted,
    (await readRegistry(sorted)).registry,
    config,
    path.join(sorted, `input-${INPUT}.parquet`),
  );
  t = performance.now();
  const duckCsvRows = await duck.csvRows(uploads.csv);
  const duckCsvMs = performance.now() - t;
  duck.close();
  t = performance.now();
  const xlsx = await parseXlsxUpload(uploads.xlsx);
  const xlsxMs = performance.now() - t;
  const rate = (rows: number, took: number) =>
    `${Math.round(rows / (took / 1000)).toLocaleString('en')} rows/s`;
  console.log(`\nuploads (${UPLOAD_ROWS.toLocaleString('en')} rows):`);
  console.log(
    `  CSV  ${ms(csvMs)} = ${rate(csv.report.total, csvMs)}, accepted ${csv.report.accepted} (peer: DuckDB read_csv count ${ms(duckCsvMs)}, ${duckCsvRows} rows)`,
  );
  console.log(
    `  XLSX ${ms(xlsxMs)} = ${rate(xlsx.report.total, xlsxMs)}, accepted ${xlsx.report.accepted}, leading zeros restored ${xlsx.report.warningCounts['IIN.LEADING_ZERO_RESTORED']}`,
  );
}

await main();
