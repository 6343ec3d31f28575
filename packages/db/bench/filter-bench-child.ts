// One step of `pnpm bench:filter`, in a process of its own (forked by filter.bench.ts): a cold run, a restart, a
// warm service, the preparation, DuckDB or the upload parsers. Each reports its figures and its own peak RSS
// (process.resourceUsage().maxRSS) over IPC and exits, so every RSS the bench prints is one service's footprint
// and no step's memory is counted in another's.
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { completeIin, readParquetTable, sortUnique, writeParquetTable } from '@campaigns/core';
import { Table } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { int64IinColumn } from '../src/datasets/demo-datasets';
import {
  DatasetPreparer,
  DatasetStore,
  LoaderPool,
  parseCsvUpload,
  readRegistry,
  runAudience,
} from '../src/index';
import { parseXlsxUpload } from '../src/uploads/xlsx-upload';
import { type BenchFilterConfig, duckRunner, type StepCounts } from './filter-bench-duckdb';

/** What the parent asks a child to do (its one argv argument, as JSON). */
export type ChildTask =
  | { kind: 'input'; clientsDir: string; input: number }
  | { kind: 'prepare'; dir: string; cacheDir: string; inputFile: string; config: BenchFilterConfig }
  | {
      kind: 'cold' | 'restart' | 'warm' | 'stored';
      dir: string;
      cacheDir: string;
      inputFile: string;
      config: BenchFilterConfig;
      threads: 1 | 2;
      runs: number;
    }
  | { kind: 'duckdb'; dir: string; inputParquet: string; config: BenchFilterConfig }
  | { kind: 'uploads'; dir: string; rows: number; inputParquet: string; config: BenchFilterConfig };

/** A run's time and counts; cold and restart runs also split it into loading and filtering. */
export interface RunFigures {
  ms: number;
  loadMs: number;
  filterMs: number;
  counts: StepCounts;
  /** CPU time of the run: the filtering thread's own, and the whole process's (every thread). */
  threadCpuMs?: number;
  processCpuMs?: number;
  /** restart: when the background preparation the service started at boot was done (ms after its start). */
  preparedMs?: number;
}

export interface ChildReport {
  /** Peak RSS of this child process, in bytes. */
  peakRss: number;
  runs: RunFigures[];
  /** prepare: the preparation's time and the bytes the store holds afterwards. */
  prepareMs?: number;
  cachedBytes?: number;
  /** The first run's stats (printed once). */
  stats?: Record<string, number>;
  /** uploads */
  uploads?: {
    csvMs: number;
    csvRows: number;
    csvAccepted: number;
    duckCsvMs: number;
    duckCsvRows: number;
    xlsxMs: number;
    xlsxRows: number;
    xlsxAccepted: number;
    zerosRestored: number;
  };
  duckThreads?: number;
}

/** DuckDB's child stays up across rounds (its in-memory database holds the input table) and runs on request. */
export type DuckRequest = { run: true } | { close: true };
export type DuckReply = { ran: RunFigures } | { closed: ChildReport };

const peakRss = () => process.resourceUsage().maxRSS * 1024;
/** Garbage of the untimed set-up is collected before a timed run (the bench forks with --expose-gc). */
const collect = () => (globalThis as { gc?: () => void }).gc?.();

export function countsOf(stats: Record<string, number>): StepCounts {
  return {
    initial_count: stats.initial_count!,
    after_blacklist: stats.after_blacklist!,
    after_device: stats.after_device!,
    after_push: stats.after_push!,
    after_mau: stats.after_mau!,
    after_product: stats.after_product!,
  };
}

async function readInput(file: string): Promise<Float64Array> {
  const bytes = await readFile(file);
  // A copy into an 8-aligned buffer of its own.
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * The first `input` clients of the sorted layout's (shuffled) client list: a random half of the clients, in no
 * order, as raw float64 (what every child reads) and as parquet (what DuckDB reads). Both layouts hold the same
 * sets, so the same input gives the same counts on either.
 */
async function writeInput(clientsDir: string, input: number): Promise<void> {
  const raw = path.join(clientsDir, `input-${input}.f64`);
  const parquet = path.join(clientsDir, `input-${input}.parquet`);
  if (existsSync(raw) && existsSync(parquet)) return;
  const table = readParquetTable(await readFile(path.join(clientsDir, 'clients.parquet')));
  const all = table.getChild('iin')!.toArray() as BigInt64Array;
  const halves = new Int32Array(all.buffer, all.byteOffset, input * 2);
  const iins = new Float64Array(input);
  for (let i = 0; i < input; i++) iins[i] = halves[2 * i + 1]! * 4294967296 + (halves[2 * i]! >>> 0);
  await writeFile(raw, new Uint8Array(iins.buffer));
  await writeFile(parquet, writeParquetTable(new Table({ iin: int64IinColumn(iins) })));
}

/** A service's first start: every dataset decoded (2 threads) and the prepared cache written, then one filter. */
async function prepare(task: Extract<ChildTask, { kind: 'prepare' }>): Promise<ChildReport> {
  const input = await readInput(task.inputFile);
  await rm(task.cacheDir, { recursive: true, force: true });
  const pool = new LoaderPool(2);
  const store = new DatasetStore(task.dir, { pool, cacheDir: task.cacheDir, mergedIndex: true });
  const t = performance.now();
  await store.prepareAll();
  const prepareMs = performance.now() - t;
  const t1 = performance.now();
  const result = await runAudience(store, { iins: input, config: task.config }, undefined, { pool });
  const run = figuresOf(performance.now() - t1, result);
  const cachedBytes = (await store.describeDatasets()).reduce((sum, ds) => sum + (ds.memory_bytes ?? 0), 0);
  await pool.close();
  return { peakRss: peakRss(), runs: [run], prepareMs, cachedBytes, stats: result.stats };
}

function figuresOf(ms: number, result: Awaited<ReturnType<typeof runAudience>>): RunFigures {
  return {
    ms,
    loadMs: result.timings.load_ms,
    filterMs: result.timings.filter_ms,
    counts: countsOf(result.stats),
  };
}

/**
 * cold: a new service's first filter with nothing on disk (every file decoded). restart: a new service's first
 * filter with the prepared cache on disk, sent right after boot: the audience worker's store and background
 * preparation started as filter-worker.ts starts them (the preparation reads the vectors meanwhile), the input
 * ascending as the service hands it over. warm: a service after its background preparation (untimed, from the
 * prepared cache, one filter to warm up), then `runs` timed filters. The pool, as a server starts it once, is
 * started before timing.
 */
async function service(
  task: Extract<ChildTask, { kind: 'cold' | 'restart' | 'warm' | 'stored' }>,
): Promise<ChildReport> {
  const raw = await readInput(task.inputFile);
  // stored, restart: the input as the service hands it to a filter (an upload's snapshot decodes ascending);
  // sorted untimed.
  const input = task.kind === 'stored' || task.kind === 'restart' ? sortUnique(raw) : raw;
  const request = { iins: input, config: task.config };
  const pool = task.threads === 2 ? new LoaderPool(2) : undefined;
  await pool?.sortUnique(Float64Array.from({ length: 300_000 }, (_, i) => i));
  const store =
    task.kind === 'cold'
      ? new DatasetStore(task.dir, { pool, cacheDir: null })
      : new DatasetStore(task.dir, { pool, cacheDir: task.cacheDir, mergedIndex: true });
  let stats: Record<string, number> | undefined;
  if (task.kind === 'warm' || task.kind === 'stored') {
    await store.prepareAll();
    await runAudience(store, request, undefined, { pool });
  }
  let preparation: Promise<number> | undefined;
  const runs: RunFigures[] = [];
  for (let r = 0; r < task.runs; r++) {
    collect();
    if (task.kind === 'restart' && r === 0) {
      // The audience worker's boot: its preparer, started by the API's "prepare" at start-up, polling as there.
      const preparer = new DatasetPreparer(store);
      const started = performance.now();
      preparation = preparer.start().then(() => {
        preparer.stop();
        return performance.now() - started;
      });
    }
    const cpu = process.cpuUsage();
    const threadCpu = threadCpuMs();
    const t = performance.now();
    const result = await runAudience(store, request, undefined, { pool });
    const run = figuresOf(performance.now() - t, result);
    run.threadCpuMs = threadCpuMs() - threadCpu;
    const used = process.cpuUsage(cpu);
    run.processCpuMs = (used.user + used.system) / 1000;
    runs.push(run);
    stats ??= result.stats;
  }
  if (preparation !== undefined) runs[0]!.preparedMs = await preparation;
  await pool?.close();
  return { peakRss: peakRss(), runs, ...(stats ? { stats } : {}) };
}

/** CPU time of this (the main) thread so far, in ms: Linux's schedstat, in ns (Node 20 has no threadCpuUsage). */
function threadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

async function duckdb(task: Extract<ChildTask, { kind: 'duckdb' }>): Promise<void> {
  const { registry } = await readRegistry(task.dir);
  const duck = await duckRunner(task.dir, registry, task.config, task.inputParquet);
  const reply = (message: DuckReply) => process.send!(message);
  process.on('message', async (message: DuckRequest) => {
    if ('run' in message) {
      const t = performance.now();
      const counts = await duck.run();
      const ms = performance.now() - t;
      reply({ ran: { ms, loadMs: 0, filterMs: ms, counts } });
      return;
    }
    const duckThreads = await duck.threads();
    duck.close();
    reply({ closed: { peakRss: peakRss(), runs: [], duckThreads } });
    process.disconnect();
  });
  process.send!({ ready: true });
}

/** 1 M-row CSV and XLSX uploads (written once): half born in 2000-2009, so the XLSX's numbers lose a leading 0. */
async function uploadFiles(dir: string, rows: number): Promise<{ csv: string; xlsx: string }> {
  const csv = path.join(dir, 'upload-1m-v2.csv');
  const xlsx = path.join(dir, 'upload-1m-v2.xlsx');
  const iins: string[] = [];
  for (let k = 0; iins.length < rows; k++) {
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

async function uploads(task: Extract<ChildTask, { kind: 'uploads' }>): Promise<ChildReport> {
  const files = await uploadFiles(task.dir, task.rows);
  let t = performance.now();
  const csv = parseCsvUpload(await readFile(files.csv));
  const csvMs = performance.now() - t;
  const { registry } = await readRegistry(task.dir);
  const duck = await duckRunner(task.dir, registry, task.config, task.inputParquet);
  t = performance.now();
  const duckCsvRows = await duck.csvRows(files.csv);
  const duckCsvMs = performance.now() - t;
  duck.close();
  t = performance.now();
  const xlsx = await parseXlsxUpload(files.xlsx);
  const xlsxMs = performance.now() - t;
  return {
    peakRss: peakRss(),
    runs: [],
    uploads: {
      csvMs,
      csvRows: csv.report.total,
      csvAccepted: csv.report.accepted,
      duckCsvMs,
      duckCsvRows,
      xlsxMs,
      xlsxRows: xlsx.report.total,
      xlsxAccepted: xlsx.report.accepted,
      zerosRestored: xlsx.report.warningCounts['IIN.LEADING_ZERO_RESTORED'] ?? 0,
    },
  };
}

/** Sends the report and lets the process end (nothing else keeps it alive by then). */
function finish(report: ChildReport): Promise<void> {
  return new Promise((resolve) =>
    process.send!(report, () => {
      process.disconnect();
      resolve();
    }),
  );
}

const task = JSON.parse(process.argv[2]!) as ChildTask;
switch (task.kind) {
  case 'input':
    await writeInput(task.clientsDir, task.input);
    await finish({ peakRss: peakRss(), runs: [] });
    break;
  case 'prepare':
    await finish(await prepare(task));
    break;
  case 'cold':
  case 'restart':
  case 'warm':
  case 'stored':
    await finish(await service(task));
    break;
  case 'duckdb':
    await duckdb(task);
    break;
  case 'uploads':
    await finish(await uploads(task));
    break;
}
