// Deterministic demo datasets: valid IINs (check digits from core's completeIin), the seed's three blacklists,
// devices, push preferences with Cyrillic stream names, MAU and products, written as parquet plus the registry.
// Everything is built in typed arrays (no object per row) so 10 million clients fit in a few GB.
import { access, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { completeIin, sortUnique, writeParquetTable } from '@campaigns/core';
import {
  Dictionary,
  Int8,
  Int64,
  makeData,
  makeVector,
  Table,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { openExportWriter } from './export-writer';
import type { DatasetLabel, DatasetRegistry, RegistryEntry } from './registry';
import { REGISTRY_FILE } from './registry';

/** Bumped whenever the generator's output changes, so a cached benchmark data set is regenerated. */
export const DEMO_DATA_VERSION = 2;
/** Written beside the datasets: what generated them. */
export const DEMO_META_FILE = 'demo.json';

export const SEED_BLACKLISTS = [
  'ACRM_DW.RB_BLACK_LIST@ACRM',
  'dssb_de.dim_clients_black_list',
  'BL_No_worker',
] as const;
export const DEMO_DEVICES = ['android', 'iOS', 'harmony', 'web'] as const;
export const DEMO_STREAMS = [
  'Переводы',
  'Платежи',
  'Маркет',
  'Кредиты',
  'Депозиты',
  'Бонусы',
  'Путешествия',
] as const;
export const DEMO_PRODUCTS = [
  'Кредитная карта',
  'Дебетовая карта',
  'Депозит',
  'Кредит наличными',
  'Ипотека',
  'Автокредит',
  'Брокерский счёт',
  'Страхование',
] as const;

export const DEFAULT_DEMO_SEED = 20_240_301;

/** The registry name of the client list: the audience source "all clients". */
export const DEMO_CLIENTS = 'clients';

/** Each demo dataset's name for people, per UI language (the wizard shows it beside the technical name). */
const DEMO_LABELS: Record<string, DatasetLabel> = {
  [DEMO_CLIENTS]: { en: 'All clients', ru: 'Все клиенты', kk: 'Барлық клиенттер' },
  'ACRM_DW.RB_BLACK_LIST@ACRM': {
    en: 'Bank blacklist (ACRM)',
    ru: 'Чёрный список банка (ACRM)',
    kk: 'Банктің қара тізімі (ACRM)',
  },
  'dssb_de.dim_clients_black_list': {
    en: 'Client blacklist (warehouse)',
    ru: 'Чёрный список клиентов (хранилище)',
    kk: 'Клиенттердің қара тізімі (қойма)',
  },
  BL_No_worker: { en: 'Bank employees', ru: 'Сотрудники банка', kk: 'Банк қызметкерлері' },
  devices: { en: 'Devices', ru: 'Устройства', kk: 'Құрылғылар' },
  push_preferences: { en: 'Push subscriptions', ru: 'Push-подписки', kk: 'Push-жазылымдар' },
  mau: { en: 'Monthly active users', ru: 'Активные за месяц', kk: 'Айлық белсенді клиенттер' },
  products: { en: 'Products held', ru: 'Продукты клиентов', kk: 'Клиенттердің өнімдері' },
};

export interface DemoDataOptions {
  dataDir: string;
  clients?: number;
  seed?: number;
  /** Default `sorted`; `export` needs DuckDB (a dev dependency: demo data and benchmarks only). */
  layout?: DemoLayout;
  onProgress?: (message: string) => void;
}

export interface DemoDataSummary {
  clients: number;
  files: Record<string, { rows: number; bytes: number }>;
  ms: number;
}

/** A small fast seeded PRNG (sfc32): the same seed gives the same data on every machine. */
export function seededRandom(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** `count` distinct valid IINs, in random order: birth dates 1940-2008, sex/century digit, 4-digit serial. */
export function generateIins(count: number, random: () => number): Float64Array {
  const serials = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));
  const pad2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
  let out: Float64Array = new Float64Array(0);
  while (out.length < count) {
    const want = Math.ceil((count - out.length) * 1.02) + 16;
    const batch = new Float64Array(want);
    let n = 0;
    while (n < want) {
      const year = 1940 + Math.floor(random() * 69);
      const month = 1 + Math.floor(random() * 12);
      const day = 1 + Math.floor(random() * 28);
      const female = random() < 0.52 ? 1 : 0;
      const centuryDigit = (year >= 2000 ? 5 : 3) + female;
      const first11 = `${pad2[year % 100]}${pad2[month]}${pad2[day]}${centuryDigit}${serials[Math.floor(random() * 10_000)]}`;
      const iin = completeIin(first11);
      if (iin !== null) batch[n++] = Number(iin);
    }
    const merged = new Float64Array(out.length + n);
    merged.set(out);
    merged.set(batch.subarray(0, n), out.length);
    out = sortUnique(merged);
  }
  const chosen = out.slice(0, count);
  shuffle(chosen, random);
  return chosen;
}

function shuffle(values: Float64Array, random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}

/** IINs as an int64 Arrow column, written through int32 halves (no BigInt per row). */
export function int64IinColumn(iins: ArrayLike<number>): Vector {
  const halves = new Int32Array(iins.length * 2);
  for (let i = 0; i < iins.length; i++) {
    const v = iins[i]!;
    const hi = Math.floor(v / 4294967296);
    halves[2 * i] = v - hi * 4294967296;
    halves[2 * i + 1] = hi;
  }
  return makeVector(
    makeData({
      type: new Int64(),
      length: iins.length,
      nullCount: 0,
      data: new BigInt64Array(halves.buffer),
    }),
  );
}

/** IINs as 12-character utf8 text (leading zeros kept), built straight into Arrow's buffers. */
export function textIinColumn(iins: Float64Array): Vector {
  const n = iins.length;
  const bytes = new Uint8Array(n * 12);
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let v = iins[i]!;
    for (let k = 11; k >= 0; k--) {
      const d = v % 10;
      bytes[i * 12 + k] = 48 + d;
      v = (v - d) / 10;
    }
    offsets[i + 1] = (i + 1) * 12;
  }
  return makeVector(
    makeData({ type: new Utf8(), length: n, nullCount: 0, data: bytes, valueOffsets: offsets }),
  );
}

/** A dictionary-encoded text column (how value columns usually come out of pandas/pyarrow exports). */
export function dictionaryColumn(codes: Int8Array, labels: readonly string[]): Vector {
  const dictionary = vectorFromArray([...labels], new Utf8());
  const type = new Dictionary(new Utf8(), new Int8());
  return makeVector(makeData({ type, length: codes.length, nullCount: 0, data: codes, dictionary }));
}

interface PairRows {
  iins: Float64Array;
  codes: Int8Array;
  length: number;
}

function pairRows(capacity: number): PairRows {
  return { iins: new Float64Array(capacity), codes: new Int8Array(capacity), length: 0 };
}
function pushPair(rows: PairRows, iin: number, code: number): void {
  rows.iins[rows.length] = iin;
  rows.codes[rows.length] = code;
  rows.length++;
}

/** Weighted pick: index of the bucket `u` falls in. */
function pick(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

const DEVICE_WEIGHTS = [0.6, 0.34, 0.04, 0.02];
const STREAM_SHARE = [0.55, 0.5, 0.3, 0.2, 0.15, 0.25, 0.1]; // chance a client with a device wants each stream
const PRODUCT_SHARE = [0.45, 0.8, 0.35, 0.25, 0.05, 0.06, 0.08, 0.2];

/**
 * How the files are laid out. `sorted`: our own writer, value datasets ordered by IIN, IINs mostly int64, lower-case
 * column names. `export`: what the bank's exports look like: rows in no order, every IIN as 12-character text
 * with its leading zeros, upper-case column names (IIN, DEVICE, STREAM, PRODUCT), a few repeated (IIN, value)
 * rows, written by DuckDB's parquet writer (its default row groups, snappy). Both hold the same sets, so every
 * filter counts the same on either layout.
 */
export type DemoLayout = 'sorted' | 'export';
export const DEMO_LAYOUTS: readonly DemoLayout[] = ['sorted', 'export'];

/** One generated dataset: its IINs (and for value datasets a code per row into `labels`). */
interface DemoFile {
  file: string;
  kind: RegistryEntry['kind'];
  iins: Float64Array;
  /** The sorted layout's IIN column: name and type. */
  sortedIin: { name: string; text: boolean };
  value?: { name: string; codes: Int8Array; labels: readonly string[] };
}

/** Writes the demo datasets and datasets.json into `dataDir` (files are replaced atomically). */
export async function generateDemoData(options: DemoDataOptions): Promise<DemoDataSummary> {
  const started = performance.now();
  const clients = options.clients ?? 1_000_000;
  const layout = options.layout ?? 'sorted';
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const log = options.onProgress ?? (() => {});
  const dataDir = options.dataDir;
  await mkdir(dataDir, { recursive: true });
  const files: DemoDataSummary['files'] = {};
  const writer = layout === 'export' ? await openExportWriter() : undefined;
  try {
    const registry: DatasetRegistry = {};
    for (const [name, demo] of demoFiles(clients, seed, log)) {
      const target = path.join(dataDir, demo.file);
      let rows: number;
      if (writer) rows = await writer.write(exportTable(demo, seed), target);
      else {
        const table = sortedTable(demo);
        const bytes = writeParquetTable(table);
        await writeFile(`${target}.tmp`, bytes);
        await rename(`${target}.tmp`, target);
        rows = table.numRows;
      }
      const bytes = (await stat(target)).size;
      files[demo.file] = { rows, bytes };
      log(`${demo.file}: ${rows.toLocaleString('en')} rows, ${(bytes / 1e6).toFixed(1)} MB`);
      const iinColumn = layout === 'export' ? EXPORT_IIN : demo.sortedIin.name;
      const valueColumn =
        demo.value && (layout === 'export' ? demo.value.name.toUpperCase() : demo.value.name);
      registry[name] = {
        file: demo.file,
        iin_column: iinColumn,
        ...(valueColumn ? { value_column: valueColumn } : {}),
        kind: demo.kind,
        ...(DEMO_LABELS[name] ? { label: DEMO_LABELS[name] } : {}),
      };
    }
    await writeFile(path.join(dataDir, REGISTRY_FILE), `${JSON.stringify(registry, null, 2)}\n`);
    const meta = { version: DEMO_DATA_VERSION, clients, seed, layout };
    await writeFile(path.join(dataDir, DEMO_META_FILE), `${JSON.stringify(meta)}\n`);
  } finally {
    writer?.close();
  }
  return { clients, files, ms: performance.now() - started };
}

/** The datasets, by registry name, generated one after another. */
function* demoFiles(
  clients: number,
  seed: number,
  log: (message: string) => void,
): Generator<[string, DemoFile]> {
  const random = seededRandom(seed);
  log(`generating ${clients.toLocaleString('en')} client IINs`);
  // 5% extra IINs: former clients who still sit on blacklists.
  const former = Math.ceil(clients * 0.05);
  const everyone = generateIins(clients + former, random);
  const iins = everyone.subarray(0, clients);
  const formerIins = everyone.subarray(clients);
  yield [
    DEMO_CLIENTS,
    { file: 'clients.parquet', kind: 'client', iins, sortedIin: { name: 'iin', text: false } },
  ];

  // Blacklists: a few percent each, overlapping (one draw decides membership of the first two).
  const blCapacity = Math.ceil(clients * 0.05) + former;
  const bl = [new Float64Array(blCapacity), new Float64Array(blCapacity), new Float64Array(blCapacity)];
  const blLength = [0, 0, 0];
  const addBl = (k: number, iin: number) => {
    bl[k]![blLength[k]!++] = iin;
  };
  for (let i = 0; i < clients; i++) {
    const u = random();
    if (u < 0.03) addBl(0, iins[i]!);
    if (u >= 0.02 && u < 0.04) addBl(1, iins[i]!);
    if (random() < 0.015) addBl(2, iins[i]!);
  }
  for (let i = 0; i < formerIins.length; i++) addBl(i % 3, formerIins[i]!);
  const blacklist = (k: number, file: string, text: boolean): DemoFile => ({
    file,
    kind: 'blacklist',
    iins: bl[k]!.subarray(0, blLength[k]),
    sortedIin: { name: text ? 'IIN' : 'iin', text },
  });
  yield [SEED_BLACKLISTS[0], blacklist(0, 'blacklist_acrm.parquet', true)];
  yield [SEED_BLACKLISTS[1], blacklist(1, 'blacklist_dim_clients.parquet', false)];
  yield [SEED_BLACKLISTS[2], blacklist(2, 'blacklist_no_worker.parquet', true)];

  // The sorted layout's big files come ordered by IIN (as a warehouse `ORDER BY iin` dump does); the blacklists
  // and the client list do not.
  const ordered = sortUnique(iins);
  // Devices (~90% of clients, one row each) and push preferences (per stream, only clients with a device).
  const devices = pairRows(clients);
  const push = pairRows(Math.ceil(clients * STREAM_SHARE.reduce((a, b) => a + b, 0) * 1.05) + 64);
  const mau = new Float64Array(clients);
  let mauLength = 0;
  for (let i = 0; i < clients; i++) {
    if (random() < 0.6) mau[mauLength++] = ordered[i]!;
    if (random() >= 0.9) continue;
    pushPair(devices, ordered[i]!, pick(DEVICE_WEIGHTS, random()));
    for (let s = 0; s < DEMO_STREAMS.length; s++) {
      if (random() < STREAM_SHARE[s]! && push.length < push.iins.length) pushPair(push, ordered[i]!, s);
    }
  }
  const valued = (
    file: string,
    kind: DemoFile['kind'],
    rows: PairRows,
    iin: DemoFile['sortedIin'],
    value: string,
    labels: readonly string[],
  ): DemoFile => ({
    file,
    kind,
    iins: rows.iins.subarray(0, rows.length),
    sortedIin: iin,
    value: { name: value, codes: rows.codes.subarray(0, rows.length), labels },
  });
  yield [
    'devices',
    valued('devices.parquet', 'device', devices, { name: 'iin', text: false }, 'device', DEMO_DEVICES),
  ];
  yield [
    'push_preferences',
    valued('push_preferences.parquet', 'push', push, { name: 'IIN', text: true }, 'stream', DEMO_STREAMS),
  ];
  yield [
    'mau',
    {
      file: 'mau.parquet',
      kind: 'mau',
      iins: mau.subarray(0, mauLength),
      sortedIin: { name: 'iin', text: false },
    },
  ];

  // Products: several rows per client (about 2.2 on average).
  const products = pairRows(Math.ceil(clients * PRODUCT_SHARE.reduce((a, b) => a + b, 0) * 1.05) + 64);
  for (let i = 0; i < clients; i++) {
    for (let p = 0; p < DEMO_PRODUCTS.length; p++) {
      if (random() < PRODUCT_SHARE[p]! && products.length < products.iins.length)
        pushPair(products, ordered[i]!, p);
    }
  }
  yield [
    'products',
    valued('products.parquet', 'product', products, { name: 'iin', text: false }, 'product', DEMO_PRODUCTS),
  ];
}

function sortedTable(demo: DemoFile): Table {
  const iin = demo.sortedIin.text ? textIinColumn(demo.iins) : int64IinColumn(demo.iins);
  if (!demo.value) return new Table({ [demo.sortedIin.name]: iin });
  return new Table({
    [demo.sortedIin.name]: iin,
    [demo.value.name]: dictionaryColumn(demo.value.codes, demo.value.labels),
  });
}

/** The IIN column's name in exports (Oracle's upper-case identifiers). */
const EXPORT_IIN = 'IIN';
/** Share of (IIN, value) rows an export repeats (joins in the exporting query duplicate some pairs). */
const EXPORT_REPEATS = 0.03;

/** The export layout's table: every row (plus a few repeats) in a seeded random order, IINs as text. */
function exportTable(demo: DemoFile, seed: number): Table {
  const random = seededRandom(seed ^ 0x5eed);
  const n = demo.iins.length;
  const repeats = demo.value ? Math.floor(n * EXPORT_REPEATS) : 0;
  const order = new Uint32Array(n + repeats);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n; i < order.length; i++) order[i] = Math.floor(random() * n);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const iins = Float64Array.from(order, (r) => demo.iins[r]!);
  if (!demo.value) return new Table({ [EXPORT_IIN]: textIinColumn(iins) });
  const codes = Int8Array.from(order, (r) => demo.value!.codes[r]!);
  return new Table({
    [EXPORT_IIN]: textIinColumn(iins),
    [demo.value.name.toUpperCase()]: dictionaryColumn(codes, demo.value.labels),
  });
}

/**
 * Generates the demo datasets unless DATA_DIR already has a registry (for `pnpm start` on a fresh clone). Returns
 * the summary when it generated, undefined when there was data already.
 */
export async function ensureDemoData(options: DemoDataOptions): Promise<DemoDataSummary | undefined> {
  try {
    await access(path.join(options.dataDir, REGISTRY_FILE));
    return undefined;
  } catch {
    return generateDemoData(options);
  }
}
