// What the pipeline's single pass checks, and what it counts: shared by the cursor pass (filter-pipeline.ts) and
// the passes over the merged client index (indexed-pass.ts).
import type { IinVector } from './iin-vector';
import type { IndexedValues } from './value-index';

export type FilterStep = 'blacklist' | 'device' | 'push' | 'mau' | 'product' | 'contact_pressure';

/** The steps in the seed's order, contact pressure (ours) last. */
export const STEPS: readonly FilterStep[] = [
  'blacklist',
  'device',
  'push',
  'mau',
  'product',
  'contact_pressure',
];

export interface ValueStep {
  values: IndexedValues;
  /** The wanted values, over the dataset's own labels. */
  mask: Uint32Array;
}

/** What the fused pass checks, in the seed's order. */
export interface PassPlan {
  blacklistLists: IinVector[];
  device: ValueStep | null;
  push: ValueStep | null;
  mau: IinVector | null;
  product: ValueStep | null;
  /** Sorted unique IINs reserved by overlapping campaigns (contact pressure), or null when that step is off. */
  offLimit: IinVector | null;
}

export interface PassCounts {
  /** Distinct input IINs. */
  distinct: number;
  /** Removed per step, in STEPS order. */
  removed: Uint32Array;
  /** The survivors, ascending. */
  survivors: IinVector;
  /** Per blacklist (plan order): audience IINs on it, and those on it and on no other listed one. */
  matched: Uint32Array;
  onlyHere: Uint32Array;
}
