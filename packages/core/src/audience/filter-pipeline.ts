// The audience filter pipeline in the seed's order: blacklists -> devices -> push streams -> MAU -> products ->
// contact pressure (ours). Pure: it takes loaded datasets and returns a new vector plus stats; no I/O.
import type { Table } from 'apache-arrow';
import { iinsFromColumn } from './arrow-iins';
import type { DatasetProblemCode } from './dataset-error';
import { type FilterConfig, type FilterConfigInput, filterConfigSchema } from './filter-config';
import { type IinVector, intersect, sortUnique, subtract } from './iin-vector';
import type { DecodedDataset } from './parquet-dataset';
import { type IndexedValues, indexVectors, keepHolders, maskForValues, removeHolders } from './value-index';

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

export type FilterStep = 'blacklist' | 'device' | 'push' | 'mau' | 'product' | 'contact_pressure';

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
  /** Called after each step: for progress bars. */
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
  const config = filterConfigSchema.parse(configInput);
  // The pipeline owns this copy and filters it in place, step after step (no allocation per step).
  let current = sortUnique(inputIins(input));
  const stats: FilterStats = { initial_count: current.length };
  const warnings: PipelineWarning[] = [];
  const steps: FilterPipelineResult['steps'] = [];
  const record = (step: FilterStep, status: 'applied' | 'skipped' | 'off', next: IinVector) => {
    steps.push({ step, status, before: current.length, after: next.length });
    if (status === 'applied') {
      stats[`after_${step}`] = next.length;
      stats[`${step}_removed`] = current.length - next.length;
    }
    current = next;
    options.onStep?.(step, current.length);
  };

  // 1. Blacklists: remove IINs in ANY listed blacklist.
  const breakdown: BlacklistBreakdown[] = [];
  const skippedBlacklists: string[] = [];
  if (config.blacklist_tables.length === 0) record('blacklist', 'off', current);
  else {
    const lists: IinVector[] = [];
    const listNames: string[] = [];
    for (const name of config.blacklist_tables) {
      const ds = usable(datasets.blacklists?.[name], name, 'blacklist', warnings);
      if (ds) {
        lists.push(ds.iins);
        listNames.push(name);
      } else {
        skippedBlacklists.push(name);
        const reason = warnings.at(-1)?.message;
        breakdown.push({ name, status: 'skipped', matched: 0, only_here: 0, ...(reason ? { reason } : {}) });
      }
    }
    if (lists.length === 0) record('blacklist', 'skipped', current);
    else {
      const { kept, counts } = removeHolders(current, blacklistIndex(lists), true);
      listNames.forEach((name, k) => {
        breakdown.push({
          name,
          status: 'applied',
          matched: counts.matched[k]!,
          only_here: counts.onlyHere[k]!,
        });
      });
      record('blacklist', 'applied', kept);
    }
    breakdown.sort(
      (a, b) => config.blacklist_tables.indexOf(a.name) - config.blacklist_tables.indexOf(b.name),
    );
  }

  // 2-3. Devices and push streams: keep IINs having ANY listed value.
  valueStep('device', datasets.devices, 'devices', config.devices);
  valueStep('push', datasets.push, 'push', config.push_streams);

  // 4. MAU: keep monthly-active IINs.
  if (!config.mau_only) record('mau', 'off', current);
  else {
    const ds = usable(datasets.mau, datasets.mau?.name ?? 'mau', 'mau', warnings);
    if (ds) record('mau', 'applied', intersect(current, ds.iins, current));
    else record('mau', 'skipped', current);
  }

  // 5. Products: keep IINs holding ANY listed product.
  valueStep('product', datasets.products, 'products', config.products);

  // 6. Contact pressure: remove IINs already reserved by overlapping campaigns.
  if (!config.contact_pressure) record('contact_pressure', 'off', current);
  else if (!options.offLimitIins) {
    warnings.push({
      step: 'contact_pressure',
      dataset: 'off_limit_campaigns_users',
      code: 'DATASET.NO_OFF_LIMIT_ROWS',
      message: 'contact pressure was asked for but no off-limit rows were given; the step was skipped',
    });
    record('contact_pressure', 'skipped', current);
  } else record('contact_pressure', 'applied', subtract(current, sortUnique(options.offLimitIins), current));

  stats.final_count = current.length;
  stats.total_removed = (stats.initial_count as number) - current.length;
  return {
    survivors: current.slice(),
    stats,
    blacklist_breakdown: breakdown,
    warnings,
    skipped_blacklists: skippedBlacklists,
    steps,
  };

  function valueStep(step: FilterStep, ds: LoadedDataset | undefined, kind: string, wanted: string[]): void {
    if (wanted.length === 0) {
      record(step, 'off', current);
      return;
    }
    const loaded = usable(ds, ds?.name ?? kind, step, warnings);
    if (!loaded?.values) {
      record(step, 'skipped', current);
      return;
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
    record(step, 'applied', keepHolders(current, { iins: loaded.iins, index: loaded.values }, mask, true));
  }
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
