// What the pipeline's single pass checks, and what it counts: the applied steps of the table (filter-steps.ts)
// with the vectors each reads, shared by the cursor pass (cursor-pass.ts) and the passes over the merged client
// index (indexed-pass.ts, bucket-merge.ts).
import type { FilterConfig } from './filter-config';
import type { BlacklistBreakdown, LoadedDataset, PipelineDatasets, PipelineWarning } from './filter-pipeline';
import { FILTER_STEPS, type FilterStep, type FilterStepSpec } from './filter-steps';
import { type IinVector, sortUnique } from './iin-vector';
import { type IndexedValues, maskForValues } from './value-index';

/** One applied step: its place in the table and what it reads. */
export type PlannedStep = {
  spec: FilterStepSpec;
  /** Its position in FILTER_STEPS: the slot its removals are counted in. */
  position: number;
} & (
  | {
      reads: 'lists';
      /** Each usable list, in config order (the per-list breakdown's order), and its name. */
      lists: IinVector[];
      names: string[];
      /** Every list the config names, usable or not (the order the breakdown is reported in). */
      requested: readonly string[];
    }
  | {
      reads: 'values';
      values: IndexedValues;
      /** The wanted values, over the dataset's own labels. */
      mask: Uint32Array;
    }
  | {
      reads: 'set';
      /** Sorted unique IINs. */
      iins: IinVector;
    }
);

/** The applied steps in table order. */
export interface PassPlan {
  steps: PlannedStep[];
}

export interface PassCounts {
  /** Distinct input IINs. */
  distinct: number;
  /** Removed per step, indexed by the step's position in FILTER_STEPS. */
  removed: Uint32Array;
  /** The survivors, ascending. */
  survivors: IinVector;
  /** For the step with the per-list breakdown, per list (plan order): audience IINs on it, and those on it alone. */
  matched: Uint32Array;
  onlyHere: Uint32Array;
}

/** True when the step removes the IINs it finds (a blacklist), false when it removes those it does not. */
export const removesListed = (step: PlannedStep): boolean => step.spec.removes === 'listed';

/** Off-limit IINs come with the run, so they are never in the merged index: a cursor of its own reads them. */
export const readByIndex = (step: PlannedStep): boolean => step.spec.source !== 'off-limit';

/** The step whose lists are broken down (the blacklists), if it applies. */
export const breakdownStep = (plan: PassPlan): Extract<PlannedStep, { reads: 'lists' }> | undefined =>
  plan.steps.find(
    (s): s is Extract<PlannedStep, { reads: 'lists' }> => s.reads === 'lists' && s.spec.perListBreakdown,
  );

/**
 * A step the passes over the merged index read after it, as a sorted set (the off-limit IINs): plain data, so
 * that a worker can run it too.
 */
export interface SetStep {
  /** Position in FILTER_STEPS. */
  position: number;
  /** Sorted unique IINs. */
  iins: IinVector;
  removesListed: boolean;
}

export type StepStatus = 'applied' | 'skipped' | 'off';

/** The plan of a run, and what planning found out on the way. */
export interface PlannedSteps {
  plan: PassPlan;
  /** Each step of the table: off (the config does not ask for it), skipped (it cannot apply) or applied. */
  status: Record<FilterStep, StepStatus>;
  warnings: PipelineWarning[];
  /** The lists the config names that could not be used, in config order, with why. */
  skippedLists: BlacklistBreakdown[];
}

/** The table's steps as this config and these datasets make them. */
export function planSteps(
  config: FilterConfig,
  datasets: PipelineDatasets,
  offLimitIins: ArrayLike<number> | undefined,
): PlannedSteps {
  const planned: PlannedSteps = {
    plan: { steps: [] },
    status: Object.fromEntries(FILTER_STEPS.map((spec) => [spec.id, 'off'])) as Record<
      FilterStep,
      StepStatus
    >,
    warnings: [],
    skippedLists: [],
  };
  FILTER_STEPS.forEach((spec: FilterStepSpec, position) => {
    const step = planStep(spec, position, config, datasets, offLimitIins, planned);
    if (step === 'off') return;
    planned.status[spec.id as FilterStep] = step ? 'applied' : 'skipped';
    if (step) planned.plan.steps.push(step);
  });
  return planned;
}

/**
 * A step of the table as this config and these datasets make it: 'off' when the config does not ask for it,
 * undefined when it was asked for and cannot apply (the warnings say why).
 */
function planStep(
  spec: FilterStepSpec,
  position: number,
  config: FilterConfig,
  datasets: PipelineDatasets,
  offLimitIins: ArrayLike<number> | undefined,
  planned: PlannedSteps,
): PlannedStep | undefined | 'off' {
  const { warnings } = planned;
  const step = spec.id as FilterStep;
  switch (spec.source) {
    case 'lists': {
      const names = config[spec.config];
      if (names.length === 0) return 'off';
      const lists: IinVector[] = [];
      const usableNames: string[] = [];
      for (const name of names) {
        const ds = usable(datasets[spec.dataset]?.[name], name, spec, warnings);
        if (ds) {
          lists.push(ds.iins);
          usableNames.push(name);
          continue;
        }
        const reason = warnings.at(-1)?.message;
        planned.skippedLists.push({
          name,
          status: 'skipped',
          matched: 0,
          only_here: 0,
          ...(reason ? { reason } : {}),
        });
      }
      if (lists.length === 0) return undefined;
      return { spec, position, reads: 'lists', lists, names: usableNames, requested: names };
    }
    case 'values': {
      const wanted = config[spec.config];
      if (wanted.length === 0) return 'off';
      const ds = datasets[spec.dataset];
      const loaded = usable(ds, ds?.name ?? spec.dataset, spec, warnings);
      if (!loaded?.values) return undefined;
      const { mask, unknown } = maskForValues(loaded.values, wanted);
      for (const value of unknown) {
        warnings.push({
          step,
          dataset: loaded.name,
          code: 'FILTER.UNKNOWN_VALUE',
          message: `'${value}' does not occur in dataset ${loaded.name}; it matches nobody`,
        });
      }
      return { spec, position, reads: 'values', values: { iins: loaded.iins, index: loaded.values }, mask };
    }
    case 'set': {
      if (!config[spec.config]) return 'off';
      const ds = datasets[spec.dataset];
      const loaded = usable(ds, ds?.name ?? spec.dataset, spec, warnings);
      return loaded ? { spec, position, reads: 'set', iins: loaded.iins } : undefined;
    }
    case 'off-limit': {
      if (!config[spec.config]) return 'off';
      if (offLimitIins) return { spec, position, reads: 'set', iins: sortUnique(offLimitIins) };
      warnings.push({
        step,
        dataset: 'off_limit_campaigns_users',
        code: 'DATASET.NO_OFF_LIMIT_ROWS',
        message: `${spec.label} was asked for but no off-limit rows were given; the step was skipped`,
      });
      return undefined;
    }
  }
}

/** The dataset when it loaded; otherwise pushes a warning naming it and the reason, and returns undefined. */
function usable(
  ds: LoadedDataset | undefined,
  name: string,
  spec: FilterStepSpec,
  warnings: PipelineWarning[],
): (Extract<LoadedDataset, { status: 'ok' }> & { name: string }) | undefined {
  const step = spec.id as FilterStep;
  if (ds === undefined) {
    warnings.push({
      step,
      dataset: name,
      code: 'DATASET.NOT_REGISTERED',
      // One list of several missing leaves the step to the others.
      message: `dataset ${name} is not registered; the ${spec.label} step ${spec.source === 'lists' ? 'ignored it' : 'was skipped'}`,
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
