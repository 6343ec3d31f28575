// The audience filter pipeline: the steps of filter-steps.ts in the seed's order (blacklists -> devices -> push
// streams -> MAU -> products -> contact pressure, ours). Pure: it takes loaded datasets and returns a new vector
// plus stats; no I/O. The plan (pass-plan.ts) says which steps apply and what each reads; one of three passes
// runs it, each IIN meeting the steps in order until one removes it, which gives every step's count exactly as
// the seed's step-by-step run would: a merge per step over the sorted input (cursor-pass.ts; cold runs), or one
// merge against the merged index of all datasets (indexed-pass.ts; warm runs), whose bucketed form
// (bucket-merge.ts) also does the input's sorting.
import type { Table } from 'apache-arrow';
import { iinsFromColumn } from './arrow-iins';
import { type BucketMergeJob, type BucketMergeResult, mergeBuckets } from './bucket-merge';
import { buildClientIndex, type ClientIndex, type ClientIndexSource } from './client-index';
import { cursorPass } from './cursor-pass';
import type { DatasetProblemCode } from './dataset-error';
import { type FilterConfig, type FilterConfigInput, filterConfigSchema } from './filter-config';
import { FILTER_STEPS, type FilterStep } from './filter-steps';
import { type IinVector, sortUnique } from './iin-vector';
import { bucketedIndexedPass, indexedPass, prepareBucketedPass } from './indexed-pass';
import type { DecodedDataset } from './parquet-dataset';
import {
  breakdownStep,
  type PassCounts,
  type PassPlan,
  type PlannedStep,
  type PlannedSteps,
  planSteps,
  readByIndex,
} from './pass-plan';
import type { PipelineCache } from './pipeline-cache';
import type { ValueIndex } from './value-index';

/** A dataset as the pipeline sees it: decoded, or skipped with the reason. */
export type LoadedDataset =
  | ({ name: string; status: 'ok' } & DecodedDataset)
  | { name: string; status: 'skipped'; code: DatasetProblemCode; reason: string };

/** Datasets the pipeline may use; a missing entry counts as "not registered". */
export interface PipelineDatasets {
  blacklists?: Readonly<Record<string, LoadedDataset | undefined>>;
  devices?: LoadedDataset | undefined;
  push?: LoadedDataset | undefined;
  mau?: LoadedDataset | undefined;
  products?: LoadedDataset | undefined;
}

export type { FilterStep } from './filter-steps';

export interface PipelineWarning {
  step: FilterStep;
  /** The dataset the warning is about (registry name), or the step for contact pressure. */
  dataset: string;
  code: DatasetProblemCode | 'FILTER.UNKNOWN_VALUE';
  message: string;
}

export interface BlacklistBreakdown {
  name: string;
  status: 'applied' | 'skipped';
  /** Audience IINs (at the blacklist step) found in this list; lists overlap, so these may add up to more than
   * `blacklist_removed`. */
  matched: number;
  /** Audience IINs found in this list and in no other listed one. */
  only_here: number;
  reason?: string;
}

/**
 * Seed names: `initial_count`, then `after_X` and `X_removed` for each applied step (X in blacklist, device,
 * push, mau, product, contact_pressure), `final_count`, `total_removed`. A step that is off or skipped has no keys.
 */
export type FilterStats = Record<string, number>;

export interface FilterPipelineResult {
  survivors: IinVector;
  stats: FilterStats;
  blacklist_breakdown: BlacklistBreakdown[];
  warnings: PipelineWarning[];
  /** Blacklists that were asked for and could not be applied: approval needs an explicit acknowledgement. */
  skipped_blacklists: string[];
  /** Steps in order with what happened to each, for progress and the UI. */
  steps: Array<{ step: FilterStep; status: 'applied' | 'skipped' | 'off'; before: number; after: number }>;
}

/** Input: numeric IINs (any order, duplicates allowed), or an Arrow table whose `iin` (or only) column holds them. */
export type PipelineInput = ArrayLike<number> | Table;

export interface PipelineOptions {
  /** IINs of the off-limit table rows for campaigns overlapping this one's window (any order). */
  offLimitIins?: ArrayLike<number> | undefined;
  /**
   * The merged index of all datasets (client-index.ts): 'auto' (default) uses it when cached and builds it the
   * second time the same datasets are used by an input of 131,072 IINs or more; 'build' builds it now if needed;
   * 'off' walks a cursor per dataset.
   * Results are identical either way.
   */
  mergedIndex?: 'auto' | 'off' | 'build' | undefined;
  /**
   * What runs over these datasets keep for each other (pipeline-cache.ts), held by the datasets' owner. Without
   * one, 'auto' never builds the index (no run knows of an earlier one) and 'build' builds it for this run only.
   */
  cache?: PipelineCache | undefined;
  /** Called for each step in order with the IINs left after it (the steps run in one pass, so at its end). */
  onStep?: ((step: FilterStep, survivors: number) => void) | undefined;
}

/**
 * Runs the pipeline. Duplicate IINs in the input count once: `initial_count` is the number of distinct IINs
 * (the upload report already lists the duplicates row by row).
 */
export function runFilterPipeline(
  input: PipelineInput,
  datasets: PipelineDatasets,
  configInput: FilterConfigInput | FilterConfig,
  options: PipelineOptions = {},
): FilterPipelineResult {
  const planned = planPipeline(input, datasets, configInput, options);
  return completePipeline(planned, passHere(planned));
}

/** Runs half of a bucketed pass somewhere else (a worker thread); the job's arrays are shared. */
export type BucketMerger = (job: BucketMergeJob) => Promise<BucketMergeResult>;

/** Inputs from this size on are worth splitting across two threads (a round trip to a worker costs ~1 ms). */
const SPLIT_MIN_INPUT = 1 << 17;

/**
 * runFilterPipeline with the warm pass split in two: half of the index buckets merged by `mergeElsewhere` (a
 * worker) while this thread does the other half. Same result; falls back to one thread when the pass cannot be
 * bucketed, the input is small, or the other side fails.
 */
export async function runFilterPipelineSplit(
  input: PipelineInput,
  datasets: PipelineDatasets,
  configInput: FilterConfigInput | FilterConfig,
  options: PipelineOptions & { mergeElsewhere: BucketMerger },
): Promise<FilterPipelineResult> {
  const planned = planPipeline(input, datasets, configInput, options);
  const { raw, plan, index } = planned;
  const pass =
    index && raw.length >= SPLIT_MIN_INPUT
      ? prepareBucketedPass(raw, plan, index, 2, planned.cache?.scratch)
      : undefined;
  if (!pass) return completePipeline(planned, passHere(planned));
  const [mine, theirs] = pass.jobs as [BucketMergeJob, BucketMergeJob];
  const there = options.mergeElsewhere(theirs).catch(() => undefined);
  const here = mergeBuckets(mine);
  return completePipeline(planned, pass.finish([here, (await there) ?? mergeBuckets(theirs)]));
}

/** Everything decided before the pass: the config, the steps that apply and the datasets they read. */
interface PlannedPipeline extends PlannedSteps {
  raw: ArrayLike<number>;
  index: ClientIndex | undefined;
  cache: PipelineCache | undefined;
  onStep: PipelineOptions['onStep'];
}

function planPipeline(
  input: PipelineInput,
  datasets: PipelineDatasets,
  configInput: FilterConfigInput | FilterConfig,
  options: PipelineOptions,
): PlannedPipeline {
  const raw = inputIins(input);
  const planned = planSteps(filterConfigSchema.parse(configInput), datasets, options.offLimitIins);
  const index = clientIndexFor(
    planned.plan,
    datasets,
    options.mergedIndex ?? 'auto',
    raw.length,
    options.cache,
  );
  return { ...planned, raw, index, cache: options.cache, onStep: options.onStep };
}

/**
 * The pass on this thread. The bucketed pass sorts the raw input itself as it walks the index; otherwise a
 * sorted unique copy (owned here: the survivors are written over its front) is walked.
 */
function passHere({ raw, plan, index, cache }: PlannedPipeline): PassCounts {
  return (
    (index && bucketedIndexedPass(raw, plan, index, cache?.scratch)) ??
    (index ? indexedPass(sortUnique(raw), plan, index) : cursorPass(sortUnique(raw), plan, cache))
  );
}

/** Stats, breakdown and steps from the pass's counts. */
function completePipeline(planned: PlannedPipeline, counts: PassCounts): FilterPipelineResult {
  const { warnings, status } = planned;
  const { removed, distinct } = counts;

  const breakdown = [...planned.skippedLists];
  const listed = breakdownStep(planned.plan);
  if (listed) {
    listed.names.forEach((name, k) => {
      breakdown.push({
        name,
        status: 'applied',
        matched: counts.matched[k]!,
        only_here: counts.onlyHere[k]!,
      });
    });
    breakdown.sort((a, b) => listed.requested.indexOf(a.name) - listed.requested.indexOf(b.name));
  }
  const stats: FilterStats = { initial_count: distinct };
  const steps: FilterPipelineResult['steps'] = [];
  let left = distinct;
  FILTER_STEPS.forEach(({ id: step }, position) => {
    const before = left;
    if (status[step] === 'applied') {
      left -= removed[position]!;
      stats[`after_${step}`] = left;
      stats[`${step}_removed`] = removed[position]!;
    }
    steps.push({ step, status: status[step], before, after: left });
    planned.onStep?.(step, left);
  });
  stats.final_count = counts.survivors.length;
  stats.total_removed = distinct - counts.survivors.length;
  return {
    survivors: counts.survivors,
    stats,
    blacklist_breakdown: breakdown,
    warnings,
    skipped_blacklists: planned.skippedLists.map((list) => list.name),
    steps,
  };
}

/**
 * Inputs from this size on build the merged index (about a second and 120 MB at 10M clients) on their second use
 * of a dataset set. Smaller runs never do: the API runs lists under 100k IINs on its event loop, which must not
 * stall for the build, and a small run gains little from it.
 */
const AUTO_BUILD_MIN_INPUT = 1 << 17;

/**
 * The merged index covering every dataset the plan uses: the cached one, else built now when asked to or when
 * this dataset set was used before (so a one-off or cold run never pays for the build).
 */
function clientIndexFor(
  plan: PassPlan,
  datasets: PipelineDatasets,
  mode: 'auto' | 'off' | 'build',
  inputSize: number,
  cache: PipelineCache | undefined,
): ClientIndex | undefined {
  if (mode === 'off') return undefined;
  const used = planVectors(plan);
  if (used.length === 0) return undefined;
  let index = cache?.cachedIndex(used);
  const worthBuilding =
    mode === 'build' || (inputSize >= AUTO_BUILD_MIN_INPUT && cache?.seenBefore(used) === true);
  if (!index && worthBuilding) {
    const sources = indexSources(datasets);
    index = cache ? cache.prepareIndex(sources) : buildClientIndex(sources);
  }
  if (!index) return undefined;
  // A vector included under another role (the same vector given as a set and as a value dataset) cannot be read
  // through this index: fall back to the cursors.
  const fits = (iins: IinVector, values: ValueIndex | undefined) => index.slots.get(iins)?.values === values;
  const stepFits = (step: PlannedStep) => {
    switch (step.reads) {
      case 'lists':
        return step.lists.every((v) => fits(v, undefined));
      case 'values':
        return fits(step.values.iins, step.values.index);
      case 'set':
        return fits(step.iins, undefined);
    }
  };
  return plan.steps.filter(readByIndex).every(stepFits) ? index : undefined;
}

/** The dataset vectors the plan reads through the index. */
function planVectors(plan: PassPlan): IinVector[] {
  const vectorsOf = (step: PlannedStep): IinVector[] => {
    switch (step.reads) {
      case 'lists':
        return step.lists;
      case 'values':
        return [step.values.iins];
      case 'set':
        return [step.iins];
    }
  };
  return plan.steps.filter(readByIndex).flatMap(vectorsOf);
}

/**
 * The merged index of every usable dataset given (built, or the one the cache keeps), as a warm run would build
 * it: for preparing datasets before anyone filters. Undefined when none is usable.
 */
export function prepareMergedIndex(
  datasets: PipelineDatasets,
  cache: PipelineCache,
): ClientIndex | undefined {
  const sources = indexSources(datasets);
  return sources.length > 0 ? cache.prepareIndex(sources) : undefined;
}

/** Every loaded dataset, so that later runs with other filters over the same datasets reuse the index. */
function indexSources(datasets: PipelineDatasets): ClientIndexSource[] {
  const sources: ClientIndexSource[] = [];
  const add = (ds: LoadedDataset | undefined) => {
    if (ds?.status === 'ok') sources.push({ iins: ds.iins, values: ds.values });
  };
  for (const spec of FILTER_STEPS) {
    if (spec.source === 'off-limit') continue;
    if (spec.source !== 'lists') add(datasets[spec.dataset]);
    else
      for (const name of Object.keys(datasets[spec.dataset] ?? {}).sort())
        add(datasets[spec.dataset]?.[name]);
  }
  return sources;
}

function inputIins(input: PipelineInput): ArrayLike<number> {
  if (!isArrowTable(input)) return input;
  const column = input.getChild('iin') ?? (input.numCols === 1 ? input.getChildAt(0) : null);
  if (!column) throw new TypeError("input table needs an 'iin' column (or exactly one column)");
  return iinsFromColumn(column).values;
}

function isArrowTable(input: PipelineInput): input is Table {
  return typeof (input as Table).getChild === 'function';
}
