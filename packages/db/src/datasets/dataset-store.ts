// Lazily loaded, cached datasets. Each dataset is decoded once into sorted IIN vectors and kept while its file is
// unchanged: the cache key is (path, mtime, size), checked with one stat per use, so replacing a file is picked
// up on the next run without a restart. A dataset that cannot be used becomes a "skipped" entry naming the reason.
import { readFile, stat } from 'node:fs/promises';
import {
  DatasetError,
  type DatasetProblemCode,
  type DecodedDataset,
  decodeParquetDataset,
  type FilterConfig,
  type FilterConfigInput,
  filterConfigSchema,
  isDatasetError,
  type LoadedDataset,
  type PipelineDatasets,
  type ProductSelection,
  selectByProducts,
} from '@campaigns/core';
import type { LoaderPool } from './loader-pool';
import {
  type DatasetKind,
  type DatasetRegistry,
  datasetPath,
  type RegistryEntry,
  readRegistry,
} from './registry';

export interface DatasetDescription {
  name: string;
  kind: DatasetKind;
  file: string;
  iin_column: string;
  value_column?: string;
  /** not_loaded: registered, not used yet (or its file changed since); skipped: could not be used. */
  status: 'not_loaded' | 'loaded' | 'skipped';
  rows?: number;
  invalid_rows?: number;
  /** Distinct IINs in the file (value datasets: those with at least one value). */
  distinct_iins?: number;
  /** Value datasets: distinct IINs per value. */
  values?: Record<string, number>;
  load_ms?: number;
  /** Bytes held by the cached vectors. */
  memory_bytes?: number;
  loaded_at?: string;
  problem?: { code: DatasetProblemCode; reason: string };
}

interface CacheEntry {
  key: string;
  dataset: LoadedDataset;
  loadMs: number;
  loadedAt: Date;
}

export interface DatasetStoreOptions {
  /** Decode in these worker threads (several datasets at once) instead of on the calling thread. */
  pool?: LoaderPool;
  /** Called when a dataset has been read and decoded (for progress and logs). */
  onLoaded?: (name: string, loadMs: number, dataset: LoadedDataset) => void;
}

export class DatasetStore {
  readonly dataDir: string;
  private readonly options: DatasetStoreOptions;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  /** File reads started ahead of their decode, by cache key (decoding on this thread only). */
  private readonly prefetched = new Map<string, Promise<Uint8Array>>();
  private registryCache: { version: string; registry: DatasetRegistry } | undefined;

  constructor(dataDir: string, options: DatasetStoreOptions = {}) {
    this.dataDir = dataDir;
    this.options = options;
  }

  /** The registry, re-read when datasets.json changes. */
  async registry(): Promise<DatasetRegistry> {
    const { registry, version } = await readRegistry(this.dataDir);
    if (this.registryCache?.version !== version) this.registryCache = { version, registry };
    return this.registryCache.registry;
  }

  /** A dataset by registry name; undefined when the name is not registered. Never throws for a bad file. */
  async load(name: string): Promise<LoadedDataset | undefined> {
    const entry = (await this.registry())[name];
    if (!entry) return undefined;
    return (await this.loadEntry(name, entry)).dataset;
  }

  /** The first registered dataset of a kind (devices, push, mau, products have one each). */
  async loadKind(kind: DatasetKind): Promise<LoadedDataset | undefined> {
    const registry = await this.registry();
    const name = Object.keys(registry).find((n) => registry[n]!.kind === kind);
    return name === undefined ? undefined : this.load(name);
  }

  /** Loads what a filter config needs (only that), ready for runFilterPipeline. */
  async datasetsFor(
    configInput: FilterConfigInput | FilterConfig,
    onDataset?: (name: string, done: number, total: number) => void,
  ): Promise<PipelineDatasets> {
    return (await this.startLoading(configInput, onDataset)).datasets;
  }

  /**
   * Like datasetsFor, but returns once the loads have started, saying which datasets are read and decoded from
   * their files (not cached, or the file changed; empty when the run is warm). With a pool the decodes are
   * queued in the workers by then, so the caller can use its own thread meanwhile.
   */
  async startLoading(
    configInput: FilterConfigInput | FilterConfig,
    onDataset?: (name: string, done: number, total: number) => void,
  ): Promise<{ decoding: string[]; datasets: Promise<PipelineDatasets> }> {
    const needs = await this.needs(filterConfigSchema.parse(configInput));
    const blacklists: Record<string, LoadedDataset | undefined> = {};
    const datasets: PipelineDatasets = { blacklists };
    const assign = (need: Need, dataset: LoadedDataset | undefined) => {
      if (need.slot === 'blacklist') blacklists[need.name] = dataset;
      else datasets[need.slot] = dataset;
    };
    for (const need of needs) if (!need.entry) assign(need, need.wrongKind);
    const files = await Promise.all(
      needs.flatMap((need) =>
        need.entry ? [this.keyOf(need.entry).then((key) => ({ need, entry: need.entry!, key }))] : [],
      ),
    );
    const decoding = files
      .filter(({ need, key }) => key.key !== MISSING && this.cache.get(need.name)?.key !== key.key)
      .map(({ need }) => need.name);
    let done = 0;
    const load = async ({ need, entry, key }: (typeof files)[number]) => {
      const loaded = await this.loadEntry(need.name, entry, key);
      assign(need, loaded.dataset);
      onDataset?.(loaded.dataset.name, ++done, files.length);
    };
    let all: Promise<unknown>;
    if (this.options.pool) {
      // Biggest files first (longest job first): the two largest start at once, the small ones fill in at the
      // end. Each load queues its decode before its first await, so the queue gets them in this order.
      files.sort((x, y) => y.key.size - x.key.size);
      all = Promise.all(files.map(load));
    } else {
      // On the calling thread one at a time (bounded memory). The next file to decode is read (by libuv, off this
      // thread) while one decodes: one file's bytes ahead, not all of them.
      const toRead = files.filter(({ need }) => decoding.includes(need.name));
      const prefetch = (at: number) => {
        const next = toRead[at];
        if (next) this.prefetch(datasetPath(this.dataDir, next.entry), next.key.key);
      };
      prefetch(0);
      all = files.reduce<Promise<unknown>>(
        (previous, file) =>
          previous.then(() => {
            const at = toRead.indexOf(file);
            if (at >= 0) prefetch(at + 1); // a cached dataset reads nothing
            return load(file);
          }),
        Promise.resolve(),
      );
      // A read nobody took (its load found the dataset cached meanwhile) is dropped.
      all = all.finally(() => {
        for (const { key } of toRead) this.prefetched.delete(key.key);
      });
    }
    return { decoding, datasets: all.then(() => datasets) };
  }

  /** The registry entries a config uses, each with the pipeline slot it fills. */
  private async needs(config: FilterConfig): Promise<Need[]> {
    const registry = await this.registry();
    const needs: Need[] = [];
    for (const name of config.blacklist_tables) {
      const entry = registry[name];
      if (entry && entry.kind !== 'blacklist') {
        const reason = `${name} is registered as a ${entry.kind} dataset`;
        needs.push({ slot: 'blacklist', name, wrongKind: skipped(name, 'DATASET.WRONG_KIND', reason) });
      } else needs.push({ slot: 'blacklist', name, entry });
    }
    const want = (slot: Need['slot'], kind: DatasetKind, needed: boolean) => {
      if (!needed) return;
      const name = Object.keys(registry).find((n) => registry[n]!.kind === kind);
      if (name !== undefined) needs.push({ slot, name, entry: registry[name] });
    };
    want('devices', 'device', config.devices.length > 0);
    want('push', 'push', config.push_streams.length > 0);
    want('mau', 'mau', config.mau_only);
    want('products', 'product', config.products.length > 0);
    return needs;
  }

  /**
   * Product-based selection: everyone holding ANY of the products, from the registered product dataset. Throws
   * a DatasetError when that dataset is missing or unusable (there is no audience to fall back to).
   */
  async selectByProducts(products: readonly string[]): Promise<ProductSelection> {
    const ds = await this.loadKind('product');
    if (!ds) throw new DatasetError('DATASET.NOT_REGISTERED', 'no product dataset is registered');
    if (ds.status === 'skipped') throw new DatasetError(ds.code, `dataset ${ds.name} skipped: ${ds.reason}`);
    if (!ds.values) throw new DatasetError('DATASET.WRONG_KIND', `dataset ${ds.name} has no value column`);
    return selectByProducts({ iins: ds.iins, index: ds.values }, products);
  }

  /** Every registered dataset with its rows, load time and memory (loaded ones) or its problem. */
  async describeDatasets(): Promise<DatasetDescription[]> {
    const registry = await this.registry();
    const out: DatasetDescription[] = [];
    for (const [name, entry] of Object.entries(registry)) {
      const base: DatasetDescription = {
        name,
        kind: entry.kind,
        file: entry.file,
        iin_column: entry.iin_column,
        status: 'not_loaded',
        ...(entry.value_column ? { value_column: entry.value_column } : {}),
      };
      const cached = this.cache.get(name);
      const { key } = await this.keyOf(entry);
      if (!cached || cached.key !== key) {
        out.push(base);
        continue;
      }
      const ds = cached.dataset;
      if (ds.status === 'skipped') {
        out.push({ ...base, status: 'skipped', problem: { code: ds.code, reason: ds.reason } });
        continue;
      }
      const index = ds.values;
      const values = index
        ? Object.fromEntries(index.labels.map((label, code) => [label, index.counts[code]!]))
        : undefined;
      out.push({
        ...base,
        status: 'loaded',
        rows: ds.rows,
        invalid_rows: ds.invalidRows,
        distinct_iins: ds.iins.length,
        ...(values ? { values } : {}),
        load_ms: Math.round(cached.loadMs * 10) / 10,
        memory_bytes: ds.bytes,
        loaded_at: cached.loadedAt.toISOString(),
      });
    }
    return out;
  }

  /** Drops every cached dataset (the next use reads the files again). */
  clear(): void {
    this.cache.clear();
  }

  /** Starts reading a file whose decode comes next (its key names the version read). */
  private prefetch(file: string, key: string): void {
    if (key === MISSING || this.prefetched.has(key)) return;
    const bytes = readFile(file);
    bytes.catch(() => {}); // a failed read is reported by the load that awaits it
    this.prefetched.set(key, bytes);
  }

  private keyOf(entry: RegistryEntry): Promise<FileKey> {
    return fileKey(datasetPath(this.dataDir, entry));
  }

  /** The cached entry, or a read of the file; `known` is a key just taken (saves a stat, keeps the call order). */
  private async loadEntry(name: string, entry: RegistryEntry, known?: FileKey): Promise<CacheEntry> {
    const file = datasetPath(this.dataDir, entry);
    const { key, size } = known ?? (await fileKey(file));
    const cached = this.cache.get(name);
    if (cached && cached.key === key) return cached;
    const flightKey = `${name}\0${key}`;
    let pending = this.inflight.get(flightKey);
    if (!pending) {
      pending = this.read(name, entry, file, key, size).finally(() => this.inflight.delete(flightKey));
      this.inflight.set(flightKey, pending);
    }
    return pending;
  }

  private async read(
    name: string,
    entry: RegistryEntry,
    file: string,
    key: string,
    size: number,
  ): Promise<CacheEntry> {
    const started = performance.now();
    let dataset: LoadedDataset;
    // With a pool: the worker's own time, without the wait in its queue.
    let decodeMs: number | undefined;
    if (key === MISSING) {
      dataset = skipped(name, 'DATASET.FILE_MISSING', `file ${entry.file} does not exist in ${this.dataDir}`);
    } else {
      try {
        const columns = { iinColumn: entry.iin_column, valueColumn: entry.value_column };
        let decoded: DecodedDataset;
        if (this.options.pool) {
          ({ dataset: decoded, ms: decodeMs } = await this.options.pool.decode(file, columns, size));
        } else {
          const ahead = this.prefetched.get(key);
          this.prefetched.delete(key);
          decoded = await decodeParquetDataset(await (ahead ?? readFile(file)), columns);
        }
        dataset = { name, status: 'ok', ...decoded };
      } catch (error) {
        dataset = isDatasetError(error)
          ? skipped(name, error.code, `${entry.file}: ${error.message}`)
          : skipped(name, 'DATASET.UNREADABLE', `${entry.file}: ${(error as Error).message}`);
      }
    }
    const loadMs = decodeMs ?? performance.now() - started;
    const loaded: CacheEntry = { key, dataset, loadMs, loadedAt: new Date() };
    // A missing file is not cached: it is checked again on the next use.
    if (key !== MISSING) this.cache.set(name, loaded);
    this.options.onLoaded?.(name, loaded.loadMs, dataset);
    return loaded;
  }
}

const MISSING = 'missing';

/** The cache key of a file (path, mtime, size), MISSING when it is not a readable file, and its size. */
interface FileKey {
  key: string;
  size: number;
}

async function fileKey(file: string): Promise<FileKey> {
  try {
    const info = await stat(file);
    return info.isFile() ? { key: `${file}|${info.mtimeMs}|${info.size}`, size: info.size } : MISSING_KEY;
  } catch {
    return MISSING_KEY;
  }
}

const MISSING_KEY: FileKey = { key: MISSING, size: 0 };

/** One dataset a filter config uses: the pipeline slot it fills and its registry entry (or why it cannot). */
type Need = { slot: 'blacklist' | 'devices' | 'push' | 'mau' | 'products'; name: string } & (
  | { entry: RegistryEntry | undefined; wrongKind?: undefined }
  | { entry?: undefined; wrongKind: LoadedDataset }
);

function skipped(name: string, code: DatasetProblemCode, reason: string): LoadedDataset {
  return { name, status: 'skipped', code, reason };
}
