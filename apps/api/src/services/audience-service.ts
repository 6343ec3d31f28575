import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type DomainError,
  domainError,
  type FilterConfig,
  type FilterPipelineResult,
  type IinColumnRejection,
  type InputIssue,
  isDatasetError,
  type ProductSelection,
  splitControlGroup,
} from '@campaigns/core';
import {
  type AudienceRunInput,
  type AudienceRunProgress,
  type AudienceSampleFacts,
  type AudienceWorker,
  type DatasetDescription,
  type DatasetKind,
  type PreparationProgress,
  REGISTRY_FILE,
  readRegistry,
  registeredDataset,
} from '@campaigns/db';
import type { Clock } from '../clock';
import { ApiError } from '../errors';
import { type IinListInput, iinListReport } from './iin-list';

/** What the service uses of the audience worker, the one owner of decoded datasets (this thread holds none). */
type WorkerPart = Pick<
  AudienceWorker,
  'run' | 'prepare' | 'preparation' | 'describeDatasets' | 'reload' | 'selectByProducts' | 'sampleFacts'
>;

export interface FilteredAudience {
  /**
   * Distinct valid input IINs, sorted: those the request named, or for all clients the client list when the
   * caller asked to keep it (a create saves it); undefined for a preview of all clients.
   */
  input: Float64Array | undefined;
  /** The final audience (before the control split), sorted. */
  survivors: Float64Array;
  stats: Record<string, number>;
  warnings: FilterPipelineResult['warnings'];
  skippedBlacklists: string[];
  blacklistBreakdown: FilterPipelineResult['blacklist_breakdown'];
}

/**
 * Validates IIN lists, runs the filter pipeline over the registered datasets in the audience worker, and splits
 * off control groups. Every dataset is decoded and held in the worker only: this thread reads the registry
 * (datasets.json) and nothing else of the datasets.
 */
export class AudienceService {
  constructor(
    private readonly dataDir: string,
    private readonly clock: Clock,
    /** Starts the audience worker (on first use). */
    private readonly worker: () => WorkerPart,
  ) {}

  /** The worker once something has used it (asking for progress does not start one). */
  private started: WorkerPart | undefined;
  private audienceWorker(): WorkerPart {
    this.started ??= this.worker();
    return this.started;
  }

  /**
   * Starts the audience worker's background preparation (every dataset read now, and again whenever a file
   * changes), so that no filter waits for a decode. Nothing to do without datasets.
   */
  prepareDatasets(): void {
    // Synchronous, so the worker exists by the time the app could be closed.
    if (existsSync(path.join(this.dataDir, REGISTRY_FILE))) this.audienceWorker().prepare();
  }

  /**
   * The datasets as the audience worker holds them (after loading the kinds in `load`). With `withinMs`, a
   * worker busy for longer (a long run) is not waited for: the registry's entries come back as not loaded.
   */
  async describeDatasets(load: DatasetKind[] = [], withinMs?: number): Promise<DatasetDescription[]> {
    const described = this.audienceWorker().describeDatasets(load);
    if (withinMs === undefined) return described;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, withinMs, undefined);
    });
    try {
      const answer = await Promise.race([described, late]);
      if (answer) return answer;
    } finally {
      clearTimeout(timer);
    }
    const { registry } = await readRegistry(this.dataDir);
    return Object.entries(registry).map(([name, entry]) => registeredDataset(name, entry));
  }

  /** The audience worker drops its datasets and reads them again. */
  reloadDatasets(): void {
    this.started?.reload();
  }

  /** The worker's preparation progress; null when none was started. */
  preparation(): PreparationProgress | null {
    return this.started?.preparation() ?? null;
  }

  /** Registry names of every blacklist dataset: each is applied unless the marketer says why not. */
  async registeredBlacklists(): Promise<string[]> {
    const { registry } = await readRegistry(this.dataDir);
    return Object.keys(registry).filter((name) => registry[name]?.kind === 'blacklist');
  }

  /** Everyone holding any of `products`, selected in the worker from the product dataset it holds. */
  selectByProducts(products: readonly string[]): Promise<ProductSelection> {
    return this.audienceWorker().selectByProducts(products);
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
   * Runs the filter pipeline in the audience worker, so the API keeps answering while millions of IINs are
   * filtered, over the datasets it holds (prepared in the background). `{ allClients: true }` starts from the
   * client list the worker reads; it stays there unless `keepInput` asks for a copy (a create saves it). Refused
   * with a clear error when no usable client list is registered.
   */
  async filter(
    input: AudienceRunInput,
    filterConfig: FilterConfig,
    offLimitIins?: Float64Array,
    onProgress?: (progress: AudienceRunProgress) => void,
    options: { keepInput?: boolean } = {},
  ): Promise<FilteredAudience> {
    const request = {
      ...input,
      config: filterConfig,
      ...(offLimitIins ? { offLimitIins } : {}),
      ...(input.allClients && options.keepInput ? { returnInput: true } : {}),
    };
    let result: Awaited<ReturnType<WorkerPart['run']>>;
    try {
      result = await this.audienceWorker().run(request, onProgress);
    } catch (error) {
      if (input.allClients && isDatasetError(error)) throw noClientList(error.message);
      throw error;
    }
    return {
      input: input.iins ?? result.input,
      survivors: result.survivors,
      stats: result.stats,
      warnings: result.warnings,
      skippedBlacklists: result.skipped_blacklists,
      blacklistBreakdown: result.blacklist_breakdown,
    };
  }

  /**
   * What the config's filter steps read about a few IINs (the audience sample), from the datasets the filters
   * run on, which the worker holds decoded.
   */
  sampleFacts(iins: Float64Array, filterConfig: FilterConfig): Promise<AudienceSampleFacts> {
    return this.audienceWorker().sampleFacts({ iins, config: filterConfig });
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

function noClientList(reason: string): ApiError {
  return new ApiError(
    'AUDIENCE.NO_CLIENT_LIST',
    `There is no client list to start from (${reason}); upload or paste the audience instead.`,
    { issues: [{ field: 'all_clients', message: reason, rule: 'invalid' }] },
  );
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
