// The filter pipeline's steps, declared once in the seed's order (contact pressure, ours, last). The planning, the
// cursor pass (cursor-pass.ts), the pass over the merged index (indexed-pass.ts) and the bucket merge
// (bucket-merge.ts) all iterate this table: a step's position in it is the slot its removals are counted in,
// and nothing else in the engine names a step by its number.
import type { FilterConfig } from './filter-config';

/** Config fields holding a list of names, and those holding a flag. */
type ListField = {
  [K in keyof FilterConfig]: FilterConfig[K] extends string[] ? K : never;
}[keyof FilterConfig];
type FlagField = {
  [K in keyof FilterConfig]: FilterConfig[K] extends boolean ? K : never;
}[keyof FilterConfig];

interface StepSpecBase {
  id: string;
  /** The step in warnings ("the device step was skipped"). */
  label: string;
  /**
   * 'listed': removes the IINs found in what it reads (blacklists, off-limit IINs); 'unlisted': removes those not
   * found there, or holding none of the wanted values (the keep filters).
   */
  removes: 'listed' | 'unlisted';
}

/** What a step reads, and from which config field and which entry of PipelineDatasets. */
export type FilterStepSpec = StepSpecBase &
  (
    | {
        /** Several set datasets, each named in the config field: an IIN is found when it is on any of them. */
        source: 'lists';
        config: ListField;
        dataset: 'blacklists';
        /** Counts, per list, the audience IINs on it and those on it alone (the blacklist breakdown). */
        perListBreakdown: boolean;
      }
    | {
        /** One value dataset; found: the IIN holds any of the values the config field lists. */
        source: 'values';
        config: ListField;
        dataset: 'devices' | 'push' | 'products';
        perListBreakdown: false;
      }
    | {
        /** One set dataset, switched on by the config flag. */
        source: 'set';
        config: FlagField;
        dataset: 'mau';
        perListBreakdown: false;
      }
    | {
        /** The off-limit IINs given with the run (no dataset, so never part of the merged index). */
        source: 'off-limit';
        config: FlagField;
        perListBreakdown: false;
      }
  );

export const FILTER_STEPS = [
  {
    id: 'blacklist',
    label: 'blacklist',
    source: 'lists',
    config: 'blacklist_tables',
    dataset: 'blacklists',
    removes: 'listed',
    perListBreakdown: true,
  },
  {
    id: 'device',
    label: 'device',
    source: 'values',
    config: 'devices',
    dataset: 'devices',
    removes: 'unlisted',
    perListBreakdown: false,
  },
  {
    id: 'push',
    label: 'push stream',
    source: 'values',
    config: 'push_streams',
    dataset: 'push',
    removes: 'unlisted',
    perListBreakdown: false,
  },
  {
    id: 'mau',
    label: 'MAU',
    source: 'set',
    config: 'mau_only',
    dataset: 'mau',
    removes: 'unlisted',
    perListBreakdown: false,
  },
  {
    id: 'product',
    label: 'product',
    source: 'values',
    config: 'products',
    dataset: 'products',
    removes: 'unlisted',
    perListBreakdown: false,
  },
  {
    id: 'contact_pressure',
    label: 'contact pressure',
    source: 'off-limit',
    config: 'contact_pressure',
    removes: 'listed',
    perListBreakdown: false,
  },
] as const satisfies readonly FilterStepSpec[];

export type FilterStep = (typeof FILTER_STEPS)[number]['id'];

/** The slot after the last step's: where the passes count an IIN that no step removed. */
export const SURVIVED: number = FILTER_STEPS.length;

// The passes over the merged index read the off-limit steps after every other one (indexed-pass.ts): so they
// must come last.
const firstOffLimit = FILTER_STEPS.findIndex((spec) => spec.source === 'off-limit');
if (firstOffLimit >= 0 && FILTER_STEPS.slice(firstOffLimit).some((spec) => spec.source !== 'off-limit'))
  throw new Error('filter-steps: an off-limit step must come after every dataset step');
