// The audience filter pipeline in the seed's order: blacklists -> devices -> push streams -> MAU -> products ->
// contact pressure (ours). Pure: it takes loaded datasets and returns a new vector plus stats; no I/O. One pass
// walks the sorted input, each IIN going through the steps until one removes it, which gives every step's count
// exactly as running the steps one after another would. The pass reads either a cursor per dataset, or the merged
// index of all datasets (indexed-pass.ts; warm runs), whose bucketed form also does the input's sorting.
import type { Table } from 'apache-arrow';
import { iinsFromColumn } from './arrow-iins';
import { type BucketMergeJob, type BucketMergeResult, mergeBuckets } from './bucket-merge';
import {
  type ClientIndex,
  type ClientIndexSource,
  cachedClientIndex,
  prepareClientIndex,
  seenBefore,
} from './client-index';
import type { DatasetProblemCode } from './dataset-error';
import { type FilterConfig, type FilterConfigInput, filterConfigSchema } from './filter-config';
import { type IinVector, sortUnique } from './iin-vector';
import { bucketedIndexedPass, indexedPass, prepareBucketedPass } from './indexed-pass';
import type { DecodedDataset } from './parquet-dataset';
import { type FilterStep, type PassCounts, type PassPlan, STEPS, type ValueStep } from './pass-plan';
import { BlacklistCursor, SetCursor, ValueCursor } from './step-cursors';
import { type IndexedValues, indexVectors, maskForValues, type ValueIndex } from './value-index';

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

export type { FilterStep } from './pass-plan';

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
  const pass = index && raw.length >= SPLIT_MIN_INPUT ? prepareBucketedPass(raw, plan, index, 2) : undefined;
  if (!pass) return completePipeline(planned, passHere(planned));
  const [mine, theirs] = pass.jobs as [BucketMergeJob, BucketMergeJob];
  const there = options.mergeElsewhere(theirs).catch(() => undefined);
  const here = mergeBuckets(mine);
  return completePipeline(planned, pass.finish([here, (await there) ?? mergeBuckets(theirs)]));
}

/** Everything decided before the pass: the config, the steps that apply and the datasets they read. */
interface PlannedPipeline {
  config: FilterConfig;
  raw: ArrayLike<number>;
  warnings: PipelineWarning[];
  breakdown: BlacklistBreakdown[];
  skippedBlacklists: string[];
  status: Record<FilterStep, 'applied' | 'skipped' | 'off'>;
  listNames: string[];
  plan: PassPlan;
  index: ClientIndex | undefined;
  onStep: PipelineOptions['onStep'];
}

function planPipeline(
  input: PipelineInput,
  datasets: PipelineDatasets,
  configInput: FilterConfigInput | FilterConfig,
  options: PipelineOptions,
): PlannedPipeline {
  const config = filterConfigSchema.parse(configInput);
  const raw = inputIins(input);
  const warnings: PipelineWarning[] = [];

  // Plan: which steps apply, with a cursor over each dataset they use.
  const breakdown: BlacklistBreakdown[] = [];
  const skippedBlacklists: string[] = [];
  const status: Record<FilterStep, 'applied' | 'skipped' | 'off'> = {
    blacklist: 'off',
    device: 'off',
    push: 'off',
    mau: 'off',
    product: 'off',
    contact_pressure: 'off',
  };
  const blacklistLists: IinVector[] = [];
  const listNames: string[] = [];
  if (config.blacklist_tables.length > 0) {
    for (const name of config.blacklist_tables) {
      const ds = usable(datasets.blacklists?.[name], name, 'blacklist', warnings);
      if (ds) {
        blacklistLists.push(ds.iins);
        listNames.push(name);
      } else {
        skippedBlacklists.push(name);
        const reason = warnings.at(-1)?.message;
        breakdown.push({ name, status: 'skipped', matched: 0, only_here: 0, ...(reason ? { reason } : {}) });
      }
    }
    status.blacklist = blacklistLists.length > 0 ? 'applied' : 'skipped';
  }
  const valueStep = (
    step: FilterStep,
    ds: LoadedDataset | undefined,
    kind: string,
    wanted: string[],
  ): ValueStep | null => {
    if (wanted.length === 0) return null;
    const loaded = usable(ds, ds?.name ?? kind, step, warnings);
    if (!loaded?.values) {
      status[step] = 'skipped';
      return null;
    }
    const { mask, unknown } = maskForValues(loaded.values, wanted);
    for (const value of unknown) {
      warnings.push({
        step,
        dataset: loaded.name,
        code: 'FILTER.UNKNOWN_VALUE',
        message: `'${value}' does not occur in dataset ${loaded.name}; it matches nobody`,
      });
    }
    status[step] = 'applied';
    return { values: { iins: loaded.iins, index: loaded.values }, mask };
  };
  const device = valueStep('device', datasets.devices, 'devices', config.devices);
  const push = valueStep('push', datasets.push, 'push', config.push_streams);
  let mau: IinVector | null = null;
  if (config.mau_only) {
    const ds = usable(datasets.mau, datasets.mau?.name ?? 'mau', 'mau', warnings);
    status.mau = ds ? 'applied' : 'skipped';
    if (ds) mau = ds.iins;
  }
  const product = valueStep('product', datasets.products, 'products', config.products);
  let offLimit: IinVector | null = null;
  if (config.contact_pressure) {
    if (options.offLimitIins) {
      status.contact_pressure = 'applied';
      offLimit = sortUnique(options.offLimitIins);
    } else {
      status.contact_pressure = 'skipped';
      warnings.push({
        step: 'contact_pressure',
        dataset: 'off_limit_campaigns_users',
        code: 'DATASET.NO_OFF_LIMIT_ROWS',
        message: 'contact pressure was asked for but no off-limit rows were given; the step was skipped',
      });
    }
  }

  const plan: PassPlan = { blacklistLists, device, push, mau, product, offLimit };
  const index = clientIndexFor(plan, datasets, options.mergedIndex ?? 'auto', raw.length);
  return {
    config,
    raw,
    warnings,
    breakdown,
    skippedBlacklists,
    status,
    listNames,
    plan,
    index,
    onStep: options.onStep,
  };
}

/**
 * The pass on this thread. The bucketed pass sorts the raw input itself as it walks the index; otherwise a
 * sorted unique copy (owned here: the survivors are written over its front) is walked.
 */
function passHere({ raw, plan, index }: PlannedPipeline): PassCounts {
  return (
    (index && bucketedIndexedPass(raw, plan, index)) ??
    (index ? indexedPass(sortUnique(raw), plan, index) : cursorPass(sortUnique(raw), plan))
  );
}

/** Stats, breakdown and steps from the pass's counts. */
function completePipeline(planned: PlannedPipeline, counts: PassCounts): FilterPipelineResult {
  const { config, warnings, breakdown, skippedBlacklists, status, listNames } = planned;
  const { removed, distinct } = counts;

  if (listNames.length > 0) {
    listNames.forEach((name, k) => {
      breakdown.push({
        name,
        status: 'applied',
        matched: counts.matched[k]!,
        only_here: counts.onlyHere[k]!,
      });
    });
    breakdown.sort(
      (a, b) => config.blacklist_tables.indexOf(a.name) - config.blacklist_tables.indexOf(b.name),
    );
  }
  const stats: FilterStats = { initial_count: distinct };
  const steps: FilterPipelineResult['steps'] = [];
  let left = distinct;
  STEPS.forEach((step, k) => {
    const before = left;
    if (status[step] === 'applied') {
      left -= removed[k]!;
      stats[`after_${step}`] = left;
      stats[`${step}_removed`] = removed[k]!;
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
    skipped_blacklists: skippedBlacklists,
    steps,
  };
}

/** One pass with a cursor per dataset: each IIN goes through the steps until one removes it. */
function cursorPass(current: Float64Array, plan: PassPlan): PassCounts {
  const blacklist =
    plan.blacklistLists.length > 0 ? new BlacklistCursor(blacklistIndex(plan.blacklistLists)) : null;
  const cursor = (step: ValueStep | null) => (step ? new ValueCursor(step.values, step.mask) : null);
  const device = cursor(plan.device);
  const push = cursor(plan.push);
  const mau = plan.mau ? new SetCursor(plan.mau) : null;
  const product = cursor(plan.product);
  const offLimit = plan.offLimit ? new SetCursor(plan.offLimit) : null;
  const removed = new Uint32Array(STEPS.length);
  let kept = 0;
  for (let i = 0; i < current.length; i++) {
    const x = current[i]!;
    if (blacklist?.listed(x)) removed[0]!++;
    else if (device && !device.holds(x)) removed[1]!++;
    else if (push && !push.holds(x)) removed[2]!++;
    else if (mau && !mau.has(x)) removed[3]!++;
    else if (product && !product.holds(x)) removed[4]!++;
    else if (offLimit?.has(x)) removed[5]!++;
    else current[kept++] = x;
  }
  const lists = plan.blacklistLists.length;
  return {
    distinct: current.length,
    removed,
    survivors: current.slice(0, kept),
    matched: blacklist?.matched ?? new Uint32Array(lists),
    onlyHere: blacklist?.onlyHere ?? new Uint32Array(lists),
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
): ClientIndex | undefined {
  if (mode === 'off') return undefined;
  const used = planVectors(plan);
  if (used.length === 0) return undefined;
  let index = cachedClientIndex(used);
  const worthBuilding = mode === 'build' || (inputSize >= AUTO_BUILD_MIN_INPUT && seenBefore(used));
  if (!index && worthBuilding) index = prepareClientIndex(indexSources(datasets));
  if (!index) return undefined;
  // A vector included under another role (the same vector given as a set and as a value dataset) cannot be read
  // through this index: fall back to the cursors.
  const fits = (iins: IinVector, values: ValueIndex | undefined) => index.slots.get(iins)?.values === values;
  const valueFits = (step: ValueStep | null) => !step || fits(step.values.iins, step.values.index);
  const ok =
    plan.blacklistLists.every((v) => fits(v, undefined)) &&
    valueFits(plan.device) &&
    valueFits(plan.push) &&
    (!plan.mau || fits(plan.mau, undefined)) &&
    valueFits(plan.product);
  return ok ? index : undefined;
}

function planVectors(plan: PassPlan): IinVector[] {
  const vectors = [...plan.blacklistLists];
  for (const step of [plan.device, plan.push, plan.product]) if (step) vectors.push(step.values.iins);
  if (plan.mau) vectors.push(plan.mau);
  return vectors;
}

/**
 * The merged index of every usable dataset given (built, or the cached one), as a warm run would build it: for
 * preparing datasets before anyone filters. Undefined when none is usable.
 */
export function prepareMergedIndex(datasets: PipelineDatasets): ClientIndex | undefined {
  const sources = indexSources(datasets);
  return sources.length > 0 ? prepareClientIndex(sources) : undefined;
}

/** Every loaded dataset, so that later runs with other filters over the same datasets reuse the index. */
function indexSources(datasets: PipelineDatasets): ClientIndexSource[] {
  const sources: ClientIndexSource[] = [];
  const add = (ds: LoadedDataset | undefined) => {
    if (ds?.status === 'ok') sources.push({ iins: ds.iins, values: ds.values });
  };
  for (const name of Object.keys(datasets.blacklists ?? {}).sort()) add(datasets.blacklists?.[name]);
  add(datasets.devices);
  add(datasets.push);
  add(datasets.mau);
  add(datasets.products);
  return sources;
}

/**
 * The listed blacklists merged into one vector with a bit per list, kept while the same vectors are in use: a
 * dataset's vector is replaced (a new object) when its file changes, so the vectors themselves are the key.
 */
const blacklistIndexes = new WeakMap<IinVector, { rest: readonly IinVector[]; index: IndexedValues }[]>();

function blacklistIndex(lists: readonly IinVector[]): IndexedValues {
  const [first, ...rest] = lists as [IinVector, ...IinVector[]];
  const known = blacklistIndexes.get(first) ?? [];
  const hit = known.find((k) => k.rest.length === rest.length && k.rest.every((v, i) => v === rest[i]));
  if (hit) return hit.index;
  const index = indexVectors(lists);
  blacklistIndexes.set(first, [...known.slice(-7), { rest, index }]);
  return index;
}

/** The dataset when it loaded; otherwise pushes a warning naming it and the reason, and returns undefined. */
function usable(
  ds: LoadedDataset | undefined,
  name: string,
  step: FilterStep,
  warnings: PipelineWarning[],
): (Extract<LoadedDataset, { status: 'ok' }> & { name: string }) | undefined {
  if (ds === undefined) {
    warnings.push({
      step,
      dataset: name,
      code: 'DATASET.NOT_REGISTERED',
      message: `dataset ${name} is not registered; the ${step} step ${step === 'blacklist' ? 'ignored it' : 'was skipped'}`,
    });
    return undefined;
  }
  if (ds.status === 'skipped') {
    warnings.push({
      step,
      dataset: ds.name,
      code: ds.code,
      message: `dataset ${ds.name} skipped: ${ds.reason}`,
    });
    return undefined;
  }
  return ds;
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
