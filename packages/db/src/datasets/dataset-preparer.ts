// Background preparation: reads every registered dataset (from the prepared cache, else by decoding its file) as
// soon as the service starts and again whenever datasets.json or a dataset file changes, so that no marketer's
// filter waits for a decode. A filter arriving meanwhile shares the loads in flight (DatasetStore dedupes them)
// and so waits for them; it never fails because of the preparation. Progress is a plain object, for the datasets
// page and /healthz.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { DatasetStore } from './dataset-store';
import { datasetPath, REGISTRY_FILE } from './registry';

export interface PreparationProgress {
  /** idle: never started; preparing: loading datasets now; ready: all loaded at their current versions. */
  state: 'idle' | 'preparing' | 'ready' | 'failed';
  /** Datasets loaded in the current (or last) round, of how many. */
  done: number;
  total: number;
  /**
   * True once this round has every dataset a filter uses in memory at its current version, or answered by the
   * merged index: a filter waits for no decode and no read then, even while the state is still "preparing"
   * (after a restart, the datasets' own vectors are still being read from the prepared cache).
   */
  filters_ready: boolean;
  /** Rounds begun so far (the first at start, one more for each change seen). */
  rounds: number;
  started_at: string | null;
  finished_at: string | null;
  /** The last round's time in ms (null while one runs). */
  ms: number | null;
  /** Why the last round failed (a broken registry); each dataset's own problem is in its description. */
  error: string | null;
}

export interface DatasetPreparerOptions {
  /** How often the registry and the files are checked for changes (ms); 0 checks only when asked (tests). */
  pollMs?: number;
  onProgress?: (progress: PreparationProgress) => void;
}

export class DatasetPreparer {
  private progressNow: PreparationProgress = {
    state: 'idle',
    done: 0,
    total: 0,
    filters_ready: false,
    rounds: 0,
    started_at: null,
    finished_at: null,
    ms: null,
    error: null,
  };
  /** The file versions the last round prepared ("" before any). */
  private preparedVersion = '';
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: DatasetStore,
    private readonly options: DatasetPreparerOptions = {},
  ) {}

  get progress(): PreparationProgress {
    return { ...this.progressNow };
  }

  /** Prepares now and then keeps watching for changes. */
  start(): Promise<void> {
    const first = this.check();
    const pollMs = this.options.pollMs ?? 2_000;
    if (pollMs > 0 && !this.timer) {
      this.timer = setInterval(() => void this.check(), pollMs);
      this.timer.unref();
    }
    return first;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** A new round even if nothing changed (after the store was cleared: "reload datasets"). */
  async refresh(): Promise<void> {
    await this.running;
    this.preparedVersion = '';
    await this.check();
  }

  /** True from the moment a check starts until its round (if any) has finished. */
  get busy(): boolean {
    return this.running !== undefined;
  }

  /** One check: a new round when the registry or a file changed since the last one (waits for a running one). */
  check(): Promise<void> {
    this.running ??= (async () => {
      const version = await this.version().catch((error: unknown) => `error ${(error as Error).message}`);
      if (version !== this.preparedVersion && !this.stopped) await this.round(version);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The registry's and every dataset file's (size, mtime): what a change is measured against. */
  private async version(): Promise<string> {
    const parts: string[] = [];
    const facts = async (file: string) => {
      try {
        const info = await stat(file);
        return `${file}|${info.size}|${info.mtimeMs}`;
      } catch {
        return `${file}|missing`;
      }
    };
    parts.push(await facts(path.join(this.store.dataDir, REGISTRY_FILE)));
    const registry = await this.store.registry();
    for (const entry of Object.values(registry))
      parts.push(await facts(datasetPath(this.store.dataDir, entry)));
    return parts.join('\n');
  }

  private async round(version: string): Promise<void> {
    const started = performance.now();
    const total = Object.keys(await this.store.registry().catch(() => ({}))).length;
    this.update({
      state: 'preparing',
      done: 0,
      total,
      filters_ready: false,
      rounds: this.progressNow.rounds + 1,
      started_at: new Date().toISOString(),
      finished_at: null,
      ms: null,
      error: null,
    });
    try {
      await this.store.prepareAll(
        (_name, done, of) => this.update({ done, total: of }),
        () => this.update({ filters_ready: true }),
      );
      this.preparedVersion = version;
      this.update({ state: 'ready', finished_at: new Date().toISOString(), ms: performance.now() - started });
    } catch (error) {
      // A broken registry: reported, and tried again on the next change (the version is not recorded).
      const message = (error as Error).message;
      this.update({ state: 'failed', error: message, finished_at: new Date().toISOString(), ms: null });
    }
  }

  private update(change: Partial<PreparationProgress>): void {
    this.progressNow = { ...this.progressNow, ...change };
    this.options.onProgress?.(this.progress);
  }
}
