// Lazily loaded, cached datasets. Each dataset is decoded once into sorted IIN vectors and kept while its file is
// unchanged: the cache key is (path, mtime, size), checked with one stat per use, so replacing a file is picked
// up on the next run without a restart. A dataset that cannot be used becomes a "skipped" entry naming the reason.
import { readFile, stat } from 'node:fs/promises';
import {
  DatasetError,
  type DatasetProblemCode,
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
    const config = filterConfigSchema.parse(configInput);
    const registry = await this.registry();
    // With a pool the datasets decode in parallel; on the calling thread one at a time (bounded memory).
    const jobs: Array<() => Promise<unknown>> = [];
    const blacklists: Record<string, LoadedDataset | undefined> = {};
    for (const name of config.blacklist_tables) {
      const entry = registry[name];
      if (entry && entry.kind !== 'blacklist') {
        blacklists[name] = skipped(
          name,
          'DATASET.WRONG_KIND',
          `${name} is registered as a ${entry.kind} dataset`,
        );
      } else jobs.push(async () => (blacklists[name] = await this.load(name)));
    }
    const datasets: PipelineDatasets = { blacklists };
    const want = (key: 'devices' | 'push' | 'mau' | 'products', kind: DatasetKind, needed: boolean) => {
      if (needed) jobs.push(async () => (datasets[key] = await this.loadKind(kind)));
    };
    want('devices', 'device', config.devices.length > 0);
    want('push', 'push', config.push_streams.length > 0);
    want('mau', 'mau', config.mau_only);
    want('products', 'product', config.products.length > 0);
    let done = 0;
    const tracked = jobs.map((job) => async () => {
      const loaded = await job();
      onDataset?.((loaded as LoadedDataset | undefined)?.name ?? '', ++done, jobs.length);
    });
    if (this.options.pool) await Promise.all(tracked.map((job) => job()));
    else for (const job of tracked) await job();
    return datasets;
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
      const key = await fileKey(datasetPath(this.dataDir, entry));
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

  private async loadEntry(name: string, entry: RegistryEntry): Promise<CacheEntry> {
    const file = datasetPath(this.dataDir, entry);
    const key = await fileKey(file);
    const cached = this.cache.get(name);
    if (cached && cached.key === key) return cached;
    const flightKey = `${name}\0${key}`;
    let pending = this.inflight.get(flightKey);
    if (!pending) {
      pending = this.read(name, entry, file, key).finally(() => this.inflight.delete(flightKey));
      this.inflight.set(flightKey, pending);
    }
    return pending;
  }

  private async read(name: string, entry: RegistryEntry, file: string, key: string): Promise<CacheEntry> {
    const started = performance.now();
    let dataset: LoadedDataset;
    if (key === MISSING) {
      dataset = skipped(name, 'DATASET.FILE_MISSING', `file ${entry.file} does not exist in ${this.dataDir}`);
    } else {
      try {
        const columns = { iinColumn: entry.iin_column, valueColumn: entry.value_column };
        const decoded = this.options.pool
          ? await this.options.pool.decode(file, columns)
          : await decodeParquetDataset(await readFile(file), columns);
        dataset = { name, status: 'ok', ...decoded };
      } catch (error) {
        dataset = isDatasetError(error)
          ? skipped(name, error.code, `${entry.file}: ${error.message}`)
          : skipped(name, 'DATASET.UNREADABLE', `${entry.file}: ${(error as Error).message}`);
      }
    }
    const loaded: CacheEntry = { key, dataset, loadMs: performance.now() - started, loadedAt: new Date() };
    // A missing file is not cached: it is checked again on the next use.
    if (key !== MISSING) this.cache.set(name, loaded);
    this.options.onLoaded?.(name, loaded.loadMs, dataset);
    return loaded;
  }
}

const MISSING = 'missing';

async function fileKey(file: string): Promise<string> {
  try {
    const info = await stat(file);
    return info.isFile() ? `${file}|${info.mtimeMs}|${info.size}` : MISSING;
  } catch {
    return MISSING;
  }
}

function skipped(name: string, code: DatasetProblemCode, reason: string): LoadedDataset {
  return { name, status: 'skipped', code, reason };
}
