// Lazily loaded, cached datasets. Each dataset is decoded once into sorted IIN vectors and kept while its file is
// unchanged: the cache key is (path, mtime, size), checked with one stat per use, so replacing a file is picked
// up on the next run without a restart. A dataset that cannot be used becomes a "skipped" entry naming the reason.
// Decoded versions are also kept on disk (prepared-cache.ts, DATA_DIR/cache), so a restart reads them instead of
// decoding the parquet again; a file replaced while it is read is read again. With the merged index kept too, a
// restart reads that index first and only the headers of the datasets' cache files: the index answers filters
// alone, and each dataset's vectors are read on first use (or by the background preparation).
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  DatasetError,
  type DatasetProblemCode,
  type DecodedDataset,
  type FilterConfig,
  type FilterConfigInput,
  filterConfigSchema,
  isDatasetError,
  type LoadedDataset,
  PipelineCache,
  type PipelineDatasets,
  type ProductSelection,
  prepareMergedIndex,
  selectByProducts,
} from '@campaigns/core';
import { FilterGate } from './filter-gate';
import type { LoaderPool } from './loader-pool';
import { decodeParquetFile } from './parquet-file';
import {
  allocateSections,
  type FileIdentity,
  fileIdentity,
  PreparedCache,
  type PreparedLayout,
  type PreparedMiss,
  type PreparedRecord,
  sameIdentity,
} from './prepared-cache';
import { preparedDataset, preparedIndex, preparedRecordOf, preparedRecordOfIndex } from './prepared-records';
import {
  type DatasetKind,
  type DatasetLabel,
  type DatasetRegistry,
  datasetPath,
  FILTER_DATASET_KINDS,
  REGISTRY_FILE,
  type RegistryEntry,
  readRegistry,
} from './registry';

export interface DatasetDescription {
  name: string;
  kind: DatasetKind;
  /** The registry's name for people, per UI language. */
  label?: DatasetLabel;
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
  /** Loaded ones: decoded from the parquet file, or read back from the prepared cache (DATA_DIR/cache). */
  prepared_from?: 'file' | 'cache';
  /**
   * Loaded ones: whether the dataset's own vectors are in memory, or still only in the prepared cache (after a
   * restart the merged index is read first; it answers filters alone, the vectors follow on first use).
   */
  vectors?: 'in_memory' | 'in_cache';
  problem?: { code: DatasetProblemCode; reason: string };
}

/** A registered dataset as the registry describes it, before anything is read. */
export function registeredDataset(name: string, entry: RegistryEntry): DatasetDescription {
  return {
    name,
    kind: entry.kind,
    ...(entry.label ? { label: entry.label } : {}),
    file: entry.file,
    iin_column: entry.iin_column,
    status: 'not_loaded',
    ...(entry.value_column ? { value_column: entry.value_column } : {}),
  };
}

interface CacheEntry {
  key: string;
  dataset: LoadedDataset;
  loadMs: number;
  loadedAt: Date;
  /** The file version the dataset was made from (undefined for a missing file). */
  identity: FileIdentity | undefined;
  from: 'file' | 'cache';
  /**
   * Set while the dataset's arrays exist (their identity is what the adopted merged index names) but their
   * contents are still in the prepared cache: starts (once) the read into them, resolving when they hold it.
   * The background preparation reads 'in_background' (giving way to filters); anyone else waits for the read, which
   * then goes on without pauses, whoever started it.
   */
  unread?: (priority?: 'now' | 'in_background') => Promise<void>;
}

/** What happened to a dataset's prepared-cache file (for logs and tests). */
export type PreparedCacheEvent =
  | { dataset: string; event: 'hit' }
  /** The dataset's vectors read from the cache after the merged index was adopted without them. */
  | { dataset: string; event: 'vectors_read' }
  | { dataset: string; event: 'miss'; miss: PreparedMiss; detail: string }
  | { dataset: string; event: 'written' }
  | { dataset: string; event: 'write_failed'; detail: string }
  | { dataset: string; event: 'decoding'; attempt: number }
  | { dataset: string; event: 'changed_while_read'; attempt: number };

export interface DatasetStoreOptions {
  /** Decode in these worker threads (several datasets at once) instead of on the calling thread. */
  pool?: LoaderPool;
  /** Called when a dataset has been read and decoded (for progress and logs). */
  onLoaded?: (name: string, loadMs: number, dataset: LoadedDataset) => void;
  /**
   * Where decoded versions are kept across restarts: default DATA_DIR/cache; null keeps nothing on disk (every
   * start decodes the files).
   */
  cacheDir?: string | null;
  /** Keep (and read back) the merged index of all datasets in the prepared cache too (the audience worker does). */
  mergedIndex?: boolean;
  onCacheEvent?: (event: PreparedCacheEvent) => void;
  /** The longest a background read of a restart's vectors pauses for running filters, per chunk (default 1 s). */
  backgroundPauseMs?: number;
}

/** A file that keeps changing while it is read is given up after this many reads. */
const READ_ATTEMPTS = 3;
/** Key of the merged index's cache file. */
const MERGED_INDEX_KEY = 'merged-index';

export class DatasetStore {
  readonly dataDir: string;
  private readonly options: DatasetStoreOptions;
  private readonly cache = new Map<string, CacheEntry>();
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  private registryCache: { version: string; registry: DatasetRegistry } | undefined;
  private readonly prepared: PreparedCache | undefined;
  /** Reads of the prepared cache in flight, by dataset and file version (shared by concurrent loads). */
  private readonly preparedReads = new Map<string, Promise<void>>();
  /** Dataset versions just found missing from the prepared cache (the decode that follows does not look again). */
  private readonly preparedMisses = new Set<string>();
  /** The merged-index versions already looked for on disk (not read again after a miss). */
  private readonly indexTried = new Set<string>();
  /** A restart's adoption of the merged index before the datasets' vectors (shared by concurrent loads). */
  private adoption: Promise<void> | undefined;
  /**
   * What filter runs over this store's datasets keep for each other (core's PipelineCache: the merged index,
   * which dataset sets were used before): give it to every run over them.
   */
  readonly pipelineCache = new PipelineCache();
  /** The filters running now, which a restart's background read of the vectors gives way to. */
  private readonly filters: FilterGate;

  constructor(dataDir: string, options: DatasetStoreOptions = {}) {
    this.dataDir = dataDir;
    this.options = options;
    const cacheDir = options.cacheDir === undefined ? path.join(dataDir, 'cache') : options.cacheDir;
    this.prepared = cacheDir === null ? undefined : new PreparedCache(cacheDir);
    this.filters = new FilterGate(options.backgroundPauseMs);
  }

  /**
   * A filter run over these datasets starts (runAudience): until the function returned is called, the background
   * preparation's read of a restart's vectors pauses between chunks (the merged index answers the filter; vectors
   * a run does need are read at once).
   */
  filterStarted(): () => void {
    return this.filters.enter();
  }

  /** Whether DATA_DIR has a registry at all (a synchronous look, for start-up decisions). */
  hasRegistry(): boolean {
    return existsSync(path.join(this.dataDir, REGISTRY_FILE));
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
    const loaded = await this.loadEntry(name, entry);
    if (!loaded.unread) return loaded.dataset;
    await loaded.unread();
    return (this.cache.get(name) ?? loaded).dataset;
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
    return (await this.startLoading(configInput, onDataset, { vectors: 'always' })).datasets;
  }

  /**
   * Like datasetsFor, but returns once the loads have started, saying which datasets are read and decoded from
   * their files (not cached, or the file changed; empty when the run is warm). With a pool the decodes are
   * queued in the workers by then, so the caller can use its own thread meanwhile. Unlike datasetsFor, by
   * default (`vectors: 'unless_indexed'`) the datasets' vectors a restart left in the prepared cache are not
   * read when the adopted merged index answers this config alone; `'always'` reads them first.
   */
  async startLoading(
    configInput: FilterConfigInput | FilterConfig,
    onDataset?: (name: string, done: number, total: number) => void,
    options: { vectors?: 'always' | 'unless_indexed' } = {},
  ): Promise<{ decoding: string[]; datasets: Promise<PipelineDatasets> }> {
    const config = filterConfigSchema.parse(configInput);
    const needs = await this.needs(config);
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
    const isStale = ({ need, key }: (typeof files)[number]) =>
      key.key !== MISSING && this.cache.get(need.name)?.key !== key.key;
    // A restart first: the merged index, if the cache has it for exactly these file versions, without the
    // datasets' vectors (which it answers filters without).
    if (this.prepared && this.options.mergedIndex && files.some(isStale)) {
      this.adoption ??= this.adoptIndexFirst().finally(() => {
        this.adoption = undefined;
      });
      await this.adoption;
    }
    const stale = files.filter(isStale);
    // Versions in the prepared cache are read first, all at once (reads and checksums, no decoding); a version
    // already being loaded (by a preparation, say) is waited for instead.
    if (this.prepared) {
      const reads = stale.map(({ need, entry, key }) => {
        const flightKey = `${need.name}\0${key.key}`;
        if (this.inflight.has(flightKey)) return undefined;
        let read = this.preparedReads.get(flightKey);
        if (!read) {
          read = this.readPrepared(need.name, entry, key).finally(() => this.preparedReads.delete(flightKey));
          this.preparedReads.set(flightKey, read);
        }
        return read;
      });
      await Promise.all(reads);
    }
    const decoding = stale
      .filter(({ need, key }) => this.cache.get(need.name)?.key !== key.key)
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
      // On the calling thread one at a time (bounded memory); each file is read range by range as it decodes.
      all = files.reduce<Promise<unknown>>(
        (previous, file) => previous.then(() => load(file)),
        Promise.resolve(),
      );
    }
    if (this.options.mergedIndex) all = all.then(() => this.attachMergedIndex());
    // Vectors still in the prepared cache are read now unless the merged index answers this config alone.
    const vectors = options.vectors ?? 'unless_indexed';
    const complete = async () => {
      const unread = needs.filter((need) => need.entry && this.cache.get(need.name)?.unread);
      if (unread.length === 0 || (vectors === 'unless_indexed' && this.indexAnswers(config, datasets)))
        return;
      await Promise.all(unread.map((need) => this.cache.get(need.name)?.unread?.()));
      // A dataset whose cache file went bad meanwhile was decoded instead: the run gets that version.
      for (const need of unread) {
        const entry = this.cache.get(need.name);
        if (entry) assign(need, entry.dataset);
      }
    };
    return { decoding, datasets: all.then(complete).then(() => datasets) };
  }

  /**
   * Whether a pipeline run of this config over these datasets (mergedIndex 'auto', this store's PipelineCache)
   * reads only the merged index: every dataset vector a step reads is in one kept index, under its own role,
   * whichever vector the pipeline looks it up by. Then no dataset's own contents are read.
   */
  private indexAnswers(config: FilterConfig, datasets: PipelineDatasets): boolean {
    const used: Array<Extract<LoadedDataset, { status: 'ok' }>> = [];
    const add = (ds: LoadedDataset | undefined, asked: boolean) => {
      if (asked && ds?.status === 'ok') used.push(ds);
    };
    for (const name of config.blacklist_tables) add(datasets.blacklists?.[name], true);
    add(datasets.devices, config.devices.length > 0);
    add(datasets.push, config.push_streams.length > 0);
    add(datasets.mau, config.mau_only);
    add(datasets.products, config.products.length > 0);
    const vectors = used.map((ds) => ds.iins);
    return used.every((ds) => {
      const index = this.pipelineCache.cachedIndex([ds.iins, ...vectors]);
      // Blacklists and MAU are read as plain sets; value datasets only with their own values.
      const plain =
        ds === datasets.mau || config.blacklist_tables.some((n) => datasets.blacklists?.[n] === ds);
      return index?.slots.get(ds.iins)?.values === (plain ? undefined : ds.values);
    });
  }

  /**
   * Reads every registered dataset now (from the prepared cache when it has the file's version, else from the
   * file, writing the cache) and, with `mergedIndex`, the merged index of them all: what a start-up or a
   * changed file triggers, so that no filter waits for a decode. Resolves when all of it is in memory.
   */
  async prepareAll(
    onDataset?: (name: string, done: number, total: number) => void,
    /** Called when a filter would wait for nothing any more (before the vectors a restart left in the cache). */
    onFiltersReady?: () => void,
  ): Promise<void> {
    const registry = await this.registry();
    // Every blacklist and the first dataset of each other kind: all that a filter can use.
    const config = {
      blacklist_tables: preparedNames(registry).filter((n) => registry[n]!.kind === 'blacklist'),
      devices: ['-'],
      push_streams: ['-'],
      mau_only: true,
      products: ['-'],
    };
    const loading = await this.startLoading(config, onDataset);
    const datasets = await loading.datasets;
    const index = this.options.mergedIndex ? prepareMergedIndex(datasets, this.pipelineCache) : undefined;
    if (index) {
      const version = this.prepared ? await this.mergedIndexVersion() : undefined;
      if (version && !this.indexTried.has(`written|${version.key}`)) {
        this.indexTried.add(`written|${version.key}`);
        const record = preparedRecordOfIndex(index, version.nameOf);
        await this.writePrepared(MERGED_INDEX_KEY, MERGED_INDEX_KEY, version.source, record);
      }
    }
    onFiltersReady?.();
    // The first filter's pass would allocate its big arrays and fault their pages in: done now unless a filter
    // runs (which allocates them itself), sized for an input of every IIN the index holds.
    if (index?.lows && index.words === 1 && !this.filters.busy)
      this.pipelineCache.reserveScratch(index.iins.length, this.options.pool !== undefined);
    // The vectors left in the prepared cache after a restart, one dataset after another (filters the index
    // answers meanwhile do not wait for them): prepared means everything in memory.
    for (const name of preparedNames(await this.registry()))
      await this.cache.get(name)?.unread?.('in_background');
  }

  /**
   * A restart's first step when the prepared cache holds the merged index made from exactly the current file
   * versions (size, mtime, footer hash) and every dataset's cache file is there for its version: the index is
   * read (and checksummed) and adopted, and each dataset gets arrays sized from its cache file's header, read
   * later (CacheEntry.unread) - a restart's first filter reads ~84 MB instead of ~465 MB. Anything else (a
   * stale, absent or bad index or dataset header) leaves everything to the usual loads.
   */
  private async adoptIndexFirst(): Promise<void> {
    const registry = await this.registry();
    const names = preparedNames(registry);
    const found = await Promise.all(
      names.map(async (name) => {
        const entry = registry[name]!;
        const file = datasetPath(this.dataDir, entry);
        return { name, entry, file, identity: await fileIdentity(file) };
      }),
    );
    const present = found.filter((f) => f.identity !== undefined);
    const cached = (f: (typeof found)[number]) => {
      const entry = this.cache.get(f.name);
      return entry && entry.key === keyOfIdentity(f.file, f.identity!) ? entry : undefined;
    };
    // A dataset in memory that could not be used is not in any index: leave the unusual case to the loads.
    if (present.some((f) => cached(f)?.dataset.status === 'skipped')) return;
    const source = present.map((f): [string, FileIdentity] => [f.name, f.identity!]);
    const versionKey = JSON.stringify(source);
    if (this.indexTried.has(versionKey)) return;
    const prepared = this.prepared!;
    const started = performance.now();
    const layouts = await Promise.all(
      present.map(async (f) =>
        cached(f) ? undefined : prepared.peek(preparedKey(f.file, f.entry), f.identity),
      ),
    );
    for (const [i, peeked] of layouts.entries()) {
      if (peeked && 'miss' in peeked) {
        // The usual load reads this one's file (and writes its cache); the index is tried again after it.
        const dataset = present[i]!.name;
        this.options.onCacheEvent?.({ dataset, event: 'miss', miss: peeked.miss, detail: peeked.detail });
        this.preparedMisses.add(`${dataset}\0${keyOfIdentity(present[i]!.file, present[i]!.identity!)}`);
        return;
      }
    }
    this.indexTried.add(versionKey);
    const record = await this.readIndex(source);
    if (!record) return;
    const loadMs = performance.now() - started;
    const byName = new Map<string, LoadedDataset>();
    for (const [i, f] of present.entries()) {
      const layout = layouts[i];
      if (!layout || 'miss' in layout) {
        byName.set(f.name, cached(f)!.dataset);
        continue;
      }
      const sections = allocateSections(layout.layout, false);
      const dataset = preparedDataset(f.name, { meta: layout.layout.header.meta, sections });
      const key = keyOfIdentity(f.file, f.identity!);
      const entry: CacheEntry = {
        key,
        dataset,
        loadMs,
        loadedAt: new Date(),
        identity: f.identity,
        from: 'cache',
      };
      // Paused while filters run, until somebody waits for these vectors.
      let waitedFor = false;
      const pause = () => this.filters.pause(() => waitedFor);
      const read = once(() => this.readVectors(entry, f.entry, f.file, layout.layout, sections, pause));
      entry.unread = (priority = 'now') => {
        if (priority === 'now' && !waitedFor) {
          waitedFor = true;
          this.filters.wake();
        }
        return read();
      };
      this.cache.set(f.name, entry);
      byName.set(f.name, dataset);
      this.options.onLoaded?.(f.name, loadMs, dataset);
    }
    const index = preparedIndex(record, byName);
    if (!index) return;
    this.pipelineCache.adoptIndex(index);
    this.indexTried.add(`written|${versionKey}`); // it is on disk already
    this.options.onCacheEvent?.({ dataset: MERGED_INDEX_KEY, event: 'hit' });
  }

  /**
   * Reads a dataset's vectors into the arrays its entry holds (checksummed). A cache file gone bad since its
   * header was read is no reason to fail: the parquet file is decoded instead (and the cache file rewritten),
   * into the same arrays when the decoded version has their shape (it has, for the same file version), else as a
   * new version in place of this one (the adopted index then no longer covers it, and is rebuilt when needed).
   * `pause` is asked before each chunk (a background read gives way to filters).
   */
  private async readVectors(
    entry: CacheEntry,
    registryEntry: RegistryEntry,
    file: string,
    layout: PreparedLayout,
    sections: PreparedRecord['sections'],
    pause: () => Promise<void> | undefined,
  ): Promise<void> {
    const name = entry.dataset.name;
    const read = await this.prepared!.fill(layout, sections, { pause });
    if ('hit' in read) {
      this.options.onCacheEvent?.({ dataset: name, event: 'vectors_read' });
      entry.unread = undefined;
      return;
    }
    this.options.onCacheEvent?.({ dataset: name, event: 'miss', miss: read.miss, detail: read.detail });
    const key = keyOfIdentity(file, entry.identity!);
    this.preparedMisses.add(`${name}\0${key}`);
    const decoded = await this.readVersion(name, registryEntry, file, entry.identity!.size);
    const mine = entry.dataset;
    const theirs = decoded.dataset;
    entry.unread = undefined;
    if (
      mine.status === 'ok' &&
      theirs.status === 'ok' &&
      sameIdentity(decoded.identity, entry.identity) &&
      sameShape(mine, theirs)
    ) {
      mine.iins.set(theirs.iins);
      if (mine.values && theirs.values) mine.values.masks.set(theirs.values.masks);
      return;
    }
    if (this.cache.get(name) !== entry) return; // a newer version is in memory already
    const identity = decoded.identity;
    const newKey = identity ? keyOfIdentity(file, identity) : key;
    this.cache.set(name, {
      ...entry,
      key: newKey,
      dataset: theirs,
      identity,
      from: decoded.from,
      unread: undefined,
    });
  }

  /** The loaded datasets of the merged index, in the pipeline's order, with their versions; undefined unless all are in memory. */
  private async mergedIndexVersion(): Promise<
    | { key: string; source: unknown; byName: Map<string, LoadedDataset>; nameOf: Map<Float64Array, string> }
    | undefined
  > {
    const registry = await this.registry();
    const source: Array<[string, FileIdentity]> = [];
    const byName = new Map<string, LoadedDataset>();
    const nameOf = new Map<Float64Array, string>();
    for (const name of preparedNames(registry)) {
      const cached = this.cache.get(name);
      if (!cached) {
        if ((await this.keyOf(registry[name]!)).key === MISSING) continue; // a missing file is never cached
        return undefined;
      }
      if (cached.dataset.status !== 'ok' || !cached.identity) continue;
      source.push([name, cached.identity]);
      byName.set(name, cached.dataset);
      nameOf.set(cached.dataset.iins, name);
    }
    return { key: JSON.stringify(source), source, byName, nameOf };
  }

  /** The merged index's cache record made from `source` (on shared memory, for the pool), else undefined. */
  private async readIndex(source: unknown): Promise<PreparedRecord | undefined> {
    const read = await this.prepared!.read(MERGED_INDEX_KEY, source, { shared: true });
    if ('hit' in read) return read.hit;
    const { miss, detail } = read;
    this.options.onCacheEvent?.({ dataset: MERGED_INDEX_KEY, event: 'miss', miss, detail });
    return undefined;
  }

  /** Adopts the merged index from the prepared cache when it was made from exactly the datasets in memory. */
  private async attachMergedIndex(): Promise<void> {
    if (!this.prepared) return;
    const version = await this.mergedIndexVersion();
    if (!version || this.indexTried.has(version.key)) return;
    this.indexTried.add(version.key);
    const record = await this.readIndex(version.source);
    if (!record) return;
    const index = preparedIndex(record, version.byName);
    if (!index) return;
    this.pipelineCache.adoptIndex(index);
    this.options.onCacheEvent?.({ dataset: MERGED_INDEX_KEY, event: 'hit' });
  }

  /** Puts the dataset's version from the prepared cache in memory, if the cache has it (else remembers the miss). */
  private async readPrepared(name: string, entry: RegistryEntry, key: FileKey): Promise<void> {
    if (this.preparedMisses.has(`${name}\0${key.key}`)) return; // just found missing: decoded next
    const started = performance.now();
    const file = datasetPath(this.dataDir, entry);
    const identity = await fileIdentity(file);
    if (!identity || keyOfIdentity(file, identity) !== key.key) return; // changed since: the load sorts it out
    const read = await this.prepared!.read(preparedKey(file, entry), identity);
    if ('miss' in read) {
      this.options.onCacheEvent?.({ dataset: name, event: 'miss', miss: read.miss, detail: read.detail });
      this.preparedMisses.add(`${name}\0${key.key}`);
      return;
    }
    this.options.onCacheEvent?.({ dataset: name, event: 'hit' });
    const dataset = preparedDataset(name, read.hit);
    const loadMs = performance.now() - started;
    this.cache.set(name, { key: key.key, dataset, loadMs, loadedAt: new Date(), identity, from: 'cache' });
    this.options.onLoaded?.(name, loadMs, dataset);
  }

  /** Writes a cache file; a failure (disk full, read-only DATA_DIR) only costs the next start a decode. */
  private async writePrepared(
    dataset: string,
    key: string,
    source: unknown,
    record: PreparedRecord,
  ): Promise<void> {
    try {
      await this.prepared!.write(key, source, record);
      this.options.onCacheEvent?.({ dataset, event: 'written' });
    } catch (error) {
      this.options.onCacheEvent?.({ dataset, event: 'write_failed', detail: (error as Error).message });
    }
  }

  /** Bytes of the files a run of this config would read (datasets not in memory at their current version). */
  async bytesToLoad(configInput: FilterConfigInput | FilterConfig): Promise<number> {
    const needs = await this.needs(filterConfigSchema.parse(configInput));
    let bytes = 0;
    for (const need of needs) {
      if (!need.entry) continue;
      const { key, size } = await this.keyOf(need.entry);
      if (key !== MISSING && this.cache.get(need.name)?.key !== key) bytes += size;
    }
    return bytes;
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

  /**
   * The registered client list (kind `client`): every client's IIN, sorted and distinct, the audience "all
   * clients". Throws a DatasetError when none is registered or its file cannot be used (no audience to fall
   * back to).
   */
  async clientIins(): Promise<Float64Array> {
    const ds = await this.loadKind('client');
    if (!ds) throw new DatasetError('DATASET.NOT_REGISTERED', 'no client dataset is registered');
    if (ds.status === 'skipped') throw new DatasetError(ds.code, `dataset ${ds.name} skipped: ${ds.reason}`);
    return ds.iins;
  }

  /**
   * Every registered dataset with its rows, load time and memory (loaded ones) or its problem; the first of each
   * kind in `load` is loaded first.
   */
  async describeDatasets(load: readonly DatasetKind[] = []): Promise<DatasetDescription[]> {
    const registry = await this.registry();
    // Kinds asked for are loaded first (sharing loads in flight), so their values are there: their counts and
    // labels, which a restart has from the cache files' headers without reading the vectors.
    for (const kind of load) {
      const name = Object.keys(registry).find((n) => registry[n]!.kind === kind);
      if (name !== undefined) await this.loadEntry(name, registry[name]!);
    }
    const out: DatasetDescription[] = [];
    for (const [name, entry] of Object.entries(registry)) {
      const base = registeredDataset(name, entry);
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
        prepared_from: cached.from,
        vectors: cached.unread ? 'in_cache' : 'in_memory',
      });
    }
    return out;
  }

  /** Drops every cached dataset (the next use reads the files again). */
  clear(): void {
    this.cache.clear();
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
    let version: Loaded;
    if (key === MISSING) {
      const reason = `file ${entry.file} does not exist in ${this.dataDir}`;
      version = { dataset: skipped(name, 'DATASET.FILE_MISSING', reason), identity: undefined, from: 'file' };
    } else version = await this.readVersion(name, entry, file, size);
    const loadMs = version.ms ?? performance.now() - started;
    const identity = version.identity;
    const loaded: CacheEntry = {
      key: identity ? keyOfIdentity(file, identity) : key,
      dataset: version.dataset,
      loadMs,
      loadedAt: new Date(),
      identity,
      from: version.from,
    };
    // A missing file is not cached: it is checked again on the next use.
    if (identity) this.cache.set(name, loaded);
    this.options.onLoaded?.(name, loaded.loadMs, loaded.dataset);
    return loaded;
  }

  /**
   * One version of a file's dataset: from the prepared cache when it holds this version, else decoded (and then
   * written to the cache). A file whose identity changed while it was decoded is read again.
   */
  private async readVersion(name: string, entry: RegistryEntry, file: string, size: number): Promise<Loaded> {
    const columns = { iinColumn: entry.iin_column, valueColumn: entry.value_column };
    const cacheKey = preparedKey(file, entry);
    for (let attempt = 1; ; attempt++) {
      const identity = await fileIdentity(file);
      if (!identity) {
        const reason = `file ${entry.file} does not exist in ${this.dataDir}`;
        return { dataset: skipped(name, 'DATASET.FILE_MISSING', reason), identity: undefined, from: 'file' };
      }
      const justMissed = this.preparedMisses.delete(`${name}\0${keyOfIdentity(file, identity)}`);
      if (this.prepared && !justMissed) {
        const started = performance.now();
        const read = await this.prepared.read(cacheKey, identity);
        if ('hit' in read) {
          this.options.onCacheEvent?.({ dataset: name, event: 'hit' });
          const dataset = preparedDataset(name, read.hit);
          return { dataset, identity, from: 'cache', ms: performance.now() - started };
        }
        this.options.onCacheEvent?.({ dataset: name, event: 'miss', miss: read.miss, detail: read.detail });
      }
      this.options.onCacheEvent?.({ dataset: name, event: 'decoding', attempt });
      let decoded: DecodedDataset | undefined;
      let failure: unknown;
      // With a pool: the worker's own time, without the wait in its queue.
      let ms: number | undefined;
      try {
        if (this.options.pool) {
          ({ dataset: decoded, ms } = await this.options.pool.decode(file, columns, size));
        } else {
          decoded = await decodeParquetFile(file, columns);
        }
      } catch (error) {
        failure = error;
      }
      const after = await fileIdentity(file);
      if (!sameIdentity(identity, after)) {
        this.options.onCacheEvent?.({ dataset: name, event: 'changed_while_read', attempt });
        if (attempt < READ_ATTEMPTS) continue;
        const reason = `${entry.file} changed while it was read, ${READ_ATTEMPTS} times in a row`;
        return { dataset: skipped(name, 'DATASET.UNREADABLE', reason), identity: after, from: 'file' };
      }
      if (!decoded) {
        const dataset = isDatasetError(failure)
          ? skipped(name, failure.code, `${entry.file}: ${failure.message}`)
          : skipped(name, 'DATASET.UNREADABLE', `${entry.file}: ${(failure as Error).message}`);
        return { dataset, identity, from: 'file', ...(ms === undefined ? {} : { ms }) };
      }
      // Written before the dataset is handed out: once a load has resolved, its cache file is complete.
      if (this.prepared) await this.writePrepared(name, cacheKey, identity, preparedRecordOf(decoded));
      return {
        dataset: { name, status: 'ok', ...decoded },
        identity,
        from: 'file',
        ...(ms === undefined ? {} : { ms }),
      };
    }
  }
}

/** A dataset version as read: the dataset, the file identity it came from, and how long it took (pool: the worker's time). */
interface Loaded {
  dataset: LoadedDataset;
  identity: FileIdentity | undefined;
  from: 'file' | 'cache';
  ms?: number;
}

/** The datasets a filter can use, sorted: every blacklist and the first registered dataset of each other kind. */
function preparedNames(registry: DatasetRegistry): string[] {
  const names = Object.keys(registry);
  const firstOfKind = new Set(
    FILTER_DATASET_KINDS.map((kind) => names.find((n) => registry[n]!.kind === kind)),
  );
  return names.filter((n) => registry[n]!.kind === 'blacklist' || firstOfKind.has(n)).sort();
}

/** What a dataset's prepared-cache file is of: its file and the columns read from it. */
function preparedKey(file: string, entry: RegistryEntry): string {
  return JSON.stringify({ file, iin: entry.iin_column, value: entry.value_column ?? null });
}

/** Whether a decoded dataset has exactly the arrays' lengths and value labels of another. */
function sameShape(
  a: Extract<LoadedDataset, { status: 'ok' }>,
  b: Extract<LoadedDataset, { status: 'ok' }>,
): boolean {
  if (a.iins.length !== b.iins.length || !a.values !== !b.values) return false;
  if (!a.values || !b.values) return true;
  return (
    a.values.words === b.values.words &&
    a.values.masks.length === b.values.masks.length &&
    JSON.stringify(a.values.labels) === JSON.stringify(b.values.labels)
  );
}

/** `start` called once; later calls get its promise. */
function once(start: () => Promise<void>): () => Promise<void> {
  let started: Promise<void> | undefined;
  return () => {
    started ??= start();
    return started;
  };
}

function keyOfIdentity(file: string, identity: FileIdentity): string {
  return `${file}|${identity.mtimeMs}|${identity.size}`;
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
