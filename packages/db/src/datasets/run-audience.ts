// One audience run: load the datasets a config needs, filter, optionally split off a control group. Runs the
// same in-process or inside the filter worker (filter-worker.ts) so a long run leaves the API responsive.
import {
  type ControlSplit,
  FILTER_STEPS,
  type FilterConfigInput,
  type FilterPipelineResult,
  filterConfigSchema,
  runFilterPipeline,
  runFilterPipelineSplit,
  sortUnique,
  splitControlGroup,
} from '@campaigns/core';
import type { DatasetStore } from './dataset-store';
import type { LoaderPool } from './loader-pool';

/**
 * What a run starts from: numeric IINs the caller holds (any order, duplicates allowed), or every client of the
 * registered client list, read where the datasets are (the client list never travels to the caller for it).
 */
export type AudienceRunInput =
  | { iins: Float64Array; allClients?: undefined }
  | { allClients: true; iins?: undefined };

export type AudienceRunRequest = AudienceRunInput & {
  config: FilterConfigInput;
  /** IINs reserved by overlapping campaigns (rows of the off-limit table), for contact pressure. */
  offLimitIins?: Float64Array;
  /** Hold back a control group: share of each stratum, seeded by the campaign code. */
  control?: { share: number; seed: string; asOf?: string };
  /**
   * All clients: also hand back the client list the run started from (a copy; a create saves it as the
   * campaign's input snapshot). A preview does not ask, so the list stays where it was read.
   */
  returnInput?: boolean;
};

export type AudienceRunPhase = 'loading' | 'filtering' | 'splitting' | 'done';

export interface AudienceRunProgress {
  phase: AudienceRunPhase;
  /** 0..1 over the whole run, for a progress bar. */
  fraction: number;
  message: string;
}

export interface AudienceRunResult extends FilterPipelineResult {
  control?: ControlSplit;
  /** With `returnInput` and all clients: the client list the run started from (sorted, distinct). */
  input?: Float64Array;
  timings: { load_ms: number; filter_ms: number; split_ms: number };
}

export interface RunAudienceOptions {
  /**
   * Given a pool (the store's own, which decodes the datasets), a cold run sorts the input on this thread while
   * the pool decodes. A warm run passes the raw input to the pipeline, which sorts it bucket by bucket as it walks
   * the merged index, half of the buckets in a pool worker.
   */
  pool?: LoaderPool | undefined;
}

export async function runAudience(
  store: DatasetStore,
  request: AudienceRunRequest,
  onProgress: (progress: AudienceRunProgress) => void = () => {},
  options: RunAudienceOptions = {},
): Promise<AudienceRunResult> {
  // While it runs, a restart's background read of the dataset vectors gives way (the merged index answers it).
  const finished = store.filterStarted();
  try {
    return await filterAudience(store, request, onProgress, options);
  } finally {
    finished();
  }
}

async function filterAudience(
  store: DatasetStore,
  request: AudienceRunRequest,
  onProgress: (progress: AudienceRunProgress) => void,
  options: RunAudienceOptions,
): Promise<AudienceRunResult> {
  const config = filterConfigSchema.parse(request.config);
  const t0 = performance.now();
  onProgress({ phase: 'loading', fraction: 0, message: 'loading datasets' });
  const loading = await store.startLoading(config, (name, done, total) =>
    onProgress({ phase: 'loading', fraction: (0.4 * done) / total, message: `dataset ${name} ready` }),
  );
  let input: Float64Array;
  let clients: Float64Array | undefined;
  // The client list is sorted and distinct already; it is read beside the filter's datasets.
  if (request.allClients) {
    try {
      input = clients = await store.clientIins();
    } catch (error) {
      await loading.datasets; // nothing left running behind the refusal
      throw error;
    }
  }
  // Cold with a pool, this thread would only wait for the workers, so it sorts the input meanwhile (the first
  // decodes queued are the longest, no worker idles while the sort holds this thread's event loop).
  else if (options.pool !== undefined && loading.decoding.length > 0) input = sortUnique(request.iins);
  else input = request.iins;
  const datasets = await loading.datasets;
  const t1 = performance.now();
  const steps = FILTER_STEPS.length;
  let done = 0;
  onProgress({ phase: 'filtering', fraction: 0.4, message: 'filtering' });
  const pipelineOptions = {
    offLimitIins: request.offLimitIins,
    cache: store.pipelineCache,
    onStep: (step: string, survivors: number) => {
      done++;
      onProgress({
        phase: 'filtering',
        fraction: 0.4 + (0.5 * done) / steps,
        message: `${step}: ${survivors} left`,
      });
    },
  };
  // With a pool, a warm pass over the merged index is split: half of its buckets merged in a worker.
  const pool = options.pool;
  const result = pool
    ? await runFilterPipelineSplit(input, datasets, config, {
        ...pipelineOptions,
        mergeElsewhere: (job) => pool.mergeBuckets(job),
      })
    : runFilterPipeline(input, datasets, config, pipelineOptions);
  const t2 = performance.now();
  let control: ControlSplit | undefined;
  if (request.control && request.control.share > 0) {
    onProgress({ phase: 'splitting', fraction: 0.9, message: 'splitting the control group' });
    const { share, seed, asOf } = request.control;
    control = splitControlGroup(result.survivors, { share, seed, ...(asOf ? { asOf: new Date(asOf) } : {}) });
  }
  const t3 = performance.now();
  onProgress({ phase: 'done', fraction: 1, message: `${result.stats.final_count} IINs` });
  return {
    ...result,
    ...(control ? { control } : {}),
    // A copy: the store keeps its own for the next run.
    ...(clients && request.returnInput ? { input: clients.slice() } : {}),
    timings: { load_ms: t1 - t0, filter_ms: t2 - t1, split_ms: t3 - t2 },
  };
}
