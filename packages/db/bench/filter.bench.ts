// `pnpm bench:filter`: our audience pipeline, cold (parquet read and decode included) and warm (datasets cached),
// against DuckDB running the same five seed filters in SQL over the same parquet files, at 10 million clients with
// a 5-million-IIN input. Checks that all three give the same counts, prints medians, ratios and peak RSS, then
// the CSV and XLSX upload parse rates for 1 million rows. Not a test: it prints figures, it asserts only counts.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { completeIin, readParquetTable, writeParquetTable } from '@campaigns/core';
import { Table } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { int64IinColumn } from '../src/datasets/demo-datasets';
import {
  DatasetStore,
  DEMO_DATA_VERSION,
  DEMO_META_FILE,
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
const ROUNDS = 3;
const WARM_PER_ROUND = 3;
const UPLOAD_ROWS = 1_000_000;

const dataDir = resolveDataDir({ DATA_DIR: process.env.DATA_DIR });
const benchDir = path.join(dataDir, CLIENTS === 10_000_000 ? 'bench-10m' : `bench-${CLIENTS}`);
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

async function ensureData(): Promise<void> {
  const metaFile = path.join(benchDir, DEMO_META_FILE);
  const meta = existsSync(metaFile) ? JSON.parse(await readFile(metaFile, 'utf8')) : undefined;
  if (meta?.version === DEMO_DATA_VERSION && meta?.clients === CLIENTS) return;
  console.log(`generating ${CLIENTS.toLocaleString('en')}-client data into ${benchDir} (once)`);
  // A child process, so the generator's memory does not count in this process's peak RSS.
  const script = fileURLToPath(new URL('../scripts/demo-data.ts', import.meta.url));
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, script, '--clients', String(CLIENTS), '--data-dir', benchDir],
    { stdio: 'inherit' },
  );
  if (child.status !== 0) throw new Error('demo data generation failed');
}

/** The first INPUT clients of the (shuffled) client list: a random half of the clients, in no order. */
async function loadInput(): Promise<{ iins: Float64Array; file: string }> {
  const file = path.join(benchDir, `input-${INPUT}.parquet`);
  const table = readParquetTable(await readFile(path.join(benchDir, 'clients.parquet')));
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

async function uploadFiles(): Promise<{ csv: string; xlsx: string }> {
  const csv = path.join(benchDir, 'upload-1m-v2.csv');
  const xlsx = path.join(benchDir, 'upload-1m-v2.xlsx');
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
  await ensureData();
  const { registry } = await readRegistry(benchDir);
  const input = await loadInput();
  console.log(
    `\n${CLIENTS.toLocaleString('en')} clients, ${INPUT.toLocaleString('en')}-IIN input, filters: ${JSON.stringify(config)}`,
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
  // three contenders run interleaved, round after round, and see the same background load.
  const pool = new LoaderPool(2);
  await pool.sortUnique(Float64Array.from({ length: 300_000 }, (_, i) => i));
  const variants = { '1 thread': undefined, '2 threads': pool } as const;
  const times: Record<string, { cold: number[]; warm: number[]; load: number[]; filter: number[] }> = {
    '1 thread': { cold: [], warm: [], load: [], filter: [] },
    '2 threads': { cold: [], warm: [], load: [], filter: [] },
  };
  const warmStore = new DatasetStore(benchDir);
  await runAudience(warmStore, { iins: input.iins, config });
  const cachedBytes = (await warmStore.describeDatasets()).reduce(
    (sum, ds) => sum + (ds.memory_bytes ?? 0),
    0,
  );
  const duck = await duckRunner(benchDir, registry, config, input.file);
  const duckTimes: number[] = [];
  let ourPeak = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [label, usePool] of Object.entries(variants)) {
      const store = new DatasetStore(benchDir, { pool: usePool });
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
      for (let r = 0; r < WARM_PER_ROUND; r++) {
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
    const t = performance.now();
    const counts = await duck.run();
    duckTimes.push(performance.now() - t);
    check(`duckdb #${round}`, counts);
  }
  await pool.close();

  const d = median(duckTimes);
  console.log(`\nmedians (each run listed):`);
  console.log(`  duckdb (${await duck.threads()} threads)   ${ms(d)} (${duckTimes.map(ms).join(', ')})`);
  for (const [label, { cold, warm, load, filter }] of Object.entries(times)) {
    const [c, w] = [median(cold), median(warm)];
    console.log(
      `  ours ${label}, cold   ${ms(c)} (${cold.map(ms).join(', ')}); of which loading ${ms(median(load))}, filtering ${ms(median(filter))}`,
    );
    console.log(`  ours ${label}, warm   ${ms(w)} (${warm.map(ms).join(', ')})`);
    console.log(
      `  ratios ${label}: warm/duckdb ${(w / d).toFixed(3)} (goal <= 0.1), cold/duckdb ${(c / d).toFixed(2)} (goal <= 1)`,
    );
  }
  // Background load changes from minute to minute here: ratios within each round are the steadier figure.
  for (const [label, { cold, warm }] of Object.entries(times)) {
    const perRound = duckTimes.map((duckMs, r) => {
      const roundWarm = median(warm.slice(r * WARM_PER_ROUND, (r + 1) * WARM_PER_ROUND));
      return `${(roundWarm / duckMs).toFixed(3)}/${(cold[r]! / duckMs).toFixed(2)}`;
    });
    console.log(`  per round ${label} (warm/duckdb, cold/duckdb): ${perRound.join('  ')}`);
  }
  console.log(
    `peak RSS (ours, before DuckDB ran) ${mb(ourPeak)} (goal < 3072 MB); cached vectors ${mb(cachedBytes)}`,
  );
  if (mismatches.length > 0) {
    console.error(`\nCOUNT MISMATCH:\n${mismatches.join('\n')}`);
    process.exitCode = 1;
  } else console.log('counts: ours cold, ours warm and DuckDB agree on every step');

  const uploads = await uploadFiles();
  let t = performance.now();
  const csv = parseCsvUpload(await readFile(uploads.csv));
  const csvMs = performance.now() - t;
  t = performance.now();
  const duckCsvRows = await duck.csvRows(uploads.csv);
  const duckCsvMs = performance.now() - t;
  t = performance.now();
  const xlsx = await parseXlsxUpload(uploads.xlsx);
  const xlsxMs = performance.now() - t;
  duck.close();
  const rate = (rows: number, took: number) =>
    `${Math.round(rows / (took / 1000)).toLocaleString('en')} rows/s`;
  console.log(`\nuploads (${UPLOAD_ROWS.toLocaleString('en')} rows):`);
  console.log(
    `  CSV  ${ms(csvMs)} = ${rate(csv.report.total, csvMs)}, accepted ${csv.report.accepted} (peer: DuckDB read_csv count ${ms(duckCsvMs)}, ${duckCsvRows} rows)`,
  );
  console.log(
    `  XLSX ${ms(xlsxMs)} = ${rate(xlsx.report.total, xlsxMs)}, accepted ${xlsx.report.accepted}, leading zeros restored ${xlsx.report.warningCounts['IIN.LEADING_ZERO_RESTORED']}`,
  );
  console.log(`peak RSS overall ${mb(peakRss())}`);
}

await main();
