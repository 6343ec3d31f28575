import {
  type DomainError,
  domainError,
  type FilterConfig,
  type FilterPipelineResult,
  type IinColumnRejection,
  type InputIssue,
  isDatasetError,
  runFilterPipeline,
  splitControlGroup,
} from '@campaigns/core';
import {
  type AudienceRunProgress,
  type AudienceSampleFacts,
  type AudienceWorker,
  type DatasetDescription,
  type DatasetKind,
  type DatasetStore,
  lookupSampleFacts,
  type PreparationProgress,
} from '@campaigns/db';
import type { Clock } from '../clock';
import { ApiError } from '../errors';
import { type IinListInput, iinListReport } from './iin-list';

/** What the service uses of the audience worker. */
type WorkerPart = Pick<
  AudienceWorker,
  'run' | 'prepare' | 'preparation' | 'describeDatasets' | 'reload' | 'clientIins' | 'sampleFacts'
>;

export interface FilteredAudience {
  /** Distinct valid input IINs, sorted. */
  input: Float64Array;
  /** The final audience (before the control split), sorted. */
  survivors: Float64Array;
  stats: Record<string, number>;
  warnings: FilterPipelineResult['warnings'];
  skippedBlacklists: string[];
  blacklistBreakdown: FilterPipelineResult['blacklist_breakdown'];
}

// Dataset files of up to this many bytes may be decoded on the API's thread (well under 0.1 s); more: the worker.
const maxLoadHere = 4 * 1024 * 1024;

/** Validates IIN lists, runs the filter pipeline over the registered datasets, and splits off control groups. */
export class AudienceService {
  constructor(
    private readonly datasets: Pick<
      DatasetStore,
      'datasetsFor' | 'bytesToLoad' | 'hasRegistry' | 'registry' | 'clientIins'
    >,
    private readonly clock: Clock,
    /** Runs big filters off the event loop; null keeps everything in-process (tests, tools). */
    private readonly worker: (() => WorkerPart) | null = null,
    private readonly workerThreshold = 100_000,
  ) {}

  /** The worker once something has used it (asking for progress does not start one). */
  private started: WorkerPart | undefined;
  private audienceWorker(): WorkerPart {
    this.started ??= this.worker!();
    return this.started;
  }

  /**
   * Starts the audience worker's background preparation (every dataset read now, and again whenever a file
   * changes), so that no filter waits for a decode. Nothing to do without a worker or without datasets.
   */
  prepareDatasets(): void {
    // Synchronous, so the worker exists by the time the app could be closed.
    if (this.worker && this.datasets.hasRegistry()) this.audienceWorker().prepare();
  }

  /**
   * The datasets as the audience worker holds them (after loading the kinds in `load`): where filters run, so
   * what the datasets page should show. Null when no worker was started (the caller describes its own store).
   */
  async describeDatasets(load: DatasetKind[] = []): Promise<DatasetDescription[] | null> {
    return this.started ? this.started.describeDatasets(load) : null;
  }

  /** The audience worker reads every dataset again (the caller clears its own store). */
  reloadDatasets(): void {
    this.started?.reload();
  }

  /** The worker's preparation progress; null when none was started. */
  preparation(): PreparationProgress | null {
    return this.started?.preparation() ?? null;
  }

  /** Registry names of every blacklist dataset: each is applied unless the marketer says why not. */
  async registeredBlacklists(): Promise<string[]> {
    const registry = await this.datasets.registry();
    return Object.keys(registry).filter((name) => registry[name]?.kind === 'blacklist');
  }

  /**
   * Every client of the registry's client list, sorted and distinct: the audience "all clients". Read in the
   * worker when there is one (the list can hold millions: no decode on this thread); refused with a clear
   * error when no usable client list is registered.
   */
  async clientIins(): Promise<Float64Array> {
    try {
      return this.worker ? await this.audienceWorker().clientIins() : await this.datasets.clientIins();
    } catch (error) {
      if (!isDatasetError(error)) throw error;
      throw new ApiError(
        'AUDIENCE.NO_CLIENT_LIST',
        `There is no client list to start from (${error.message}); upload or paste the audience instead.`,
        { issues: [{ field: 'all_clients', message: error.message, rule: 'invalid' }] },
      );
    }
  }

  /**
   * Distinct valid IINs, sorted; any invalid one rejects the list with the first bad rows named. A list the
   * body worker parsed is taken as it is: nothing of it is parsed again on this thread.
   */
  parseIins(userIins: IinListInput): { iins: Float64Array; duplicates: number } {
    const report = iinListReport(userIins);
    if (report.invalidCount > 0) throw invalidIins(report.invalid, report.invalidCount);
    return { iins: report.sorted, duplicates: report.duplicates };
  }

  /**
   * Runs the filter pipeline. Lists of `workerThreshold` IINs or more run in the audience worker thread, so the
   * API keeps answering while millions of IINs are filtered; smaller ones run here (a worker round trip would
   * cost more than the work), unless this thread would first have to read more than `maxLoadHere` bytes of
   * dataset files: such a decode must not hold the event loop, and the worker has them prepared (or is
   * preparing them).
   */
  async filter(
    input: Float64Array,
    filterConfig: FilterConfig,
    offLimitIins?: Float64Array,
    onProgress?: (progress: AudienceRunProgress) => void,
  ): Promise<FilteredAudience> {
    const inWorker =
      this.worker !== null &&
      (input.length >= this.workerThreshold || (await this.datasets.bytesToLoad(filterConfig)) > maxLoadHere);
    const result = inWorker
      ? await this.audienceWorker().run(
          { iins: input, config: filterConfig, ...(offLimitIins ? { offLimitIins } : {}) },
          onProgress,
        )
      : runFilterPipeline(input, await this.datasets.datasetsFor(filterConfig), filterConfig, {
          offLimitIins,
        });
    return {
      input,
      survivors: result.survivors,
      stats: result.stats,
      warnings: result.warnings,
      skippedBlacklists: result.skipped_blacklists,
      blacklistBreakdown: result.blacklist_breakdown,
    };
  }

  /**
   * What the config's filter steps read about a few IINs (the audience sample), from the datasets the filters
   * run on: the worker's when there is one (it holds them decoded), else this process's store.
   */
  async sampleFacts(iins: Float64Array, filterConfig: FilterConfig): Promise<AudienceSampleFacts> {
    const request = { iins, config: filterConfig };
    return this.worker
      ? this.audienceWorker().sampleFacts(request)
      : lookupSampleFacts(this.datasets, request);
  }

  /** Target and control; the seed (the campaign code) makes the split repeatable. */
  split(
    survivors: Float64Array,
    share: number,
    seed: string,
  ): { target: Float64Array; control: Float64Array } {
    if (share <= 0 || survivors.length === 0) return { target: survivors, control: new Float64Array(0) };
    const { target, control } = splitControlGroup(survivors, { share, seed, asOf: this.clock.now() });
    return { target, control };
  }
}

function invalidIins(bad: IinColumnRejection[], count: number): DomainError {
  const issues = bad.map(
    (row): InputIssue => ({
      field: `user_iins[${row.row}]`,
      message: `${row.reason}: ${row.message}`,
      rule: 'iin',
      expected: row.reason,
    }),
  );
  return domainError(
    'CAMPAIGN.INVALID_IINS',
    `${count} of the IINs are not valid (the first at user_iins[${bad[0]?.row}]: ${bad[0]?.message}).`,
    { issues, rejectedCount: count },
  );
}
