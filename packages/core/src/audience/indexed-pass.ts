// The pipeline's pass over the merged client index (client-index.ts): each input IIN is found once in the one
// vector of all dataset IINs, and its mask word says what every dataset holds for it. Two forms: over an input
// already sorted (any mask width), and the bucketed pass that sorts a raw input bucket by bucket while it walks
// the index (one mask word; the usual case and the fast one), on one thread or split in two.
import { type BucketMergeJob, type BucketMergeResult, mergeBuckets } from './bucket-merge';
import { type ClientIndex, slotMask } from './client-index';
import { FILTER_STEPS, SURVIVED } from './filter-steps';
import { IIN_BUCKETS, scatterIntoBuckets } from './iin-buckets';
import type { IinVector } from './iin-vector';
import { ListBreakdown } from './list-breakdown';
import {
  breakdownStep,
  type PassCounts,
  type PassPlan,
  type PlannedStep,
  readByIndex,
  removesListed,
  type SetStep,
} from './pass-plan';
import { PassScratch } from './scratch-array';
import { keepBySetSteps } from './set-filter';

/** The plan over the index layout. */
interface StepsOverIndex {
  /** The steps read through the index, in table order: each one's mask over the index's words. */
  lanes: Array<{ position: number; mask: Uint32Array; removesListed: boolean }>;
  /** The steps read after it, as sets (the off-limit IINs; the table puts them last). */
  setSteps: SetStep[];
  /** The position of the step with the per-list breakdown (-1: none applies), and each list's bit. */
  breakdownPosition: number;
  listBits: number[];
}

function stepsOverIndex(plan: PassPlan, index: ClientIndex): StepsOverIndex {
  const slotOf = (v: IinVector) => index.slots.get(v)!;
  const maskOf = (step: PlannedStep): Uint32Array => {
    switch (step.reads) {
      case 'lists': {
        const mask = new Uint32Array(index.words);
        for (const v of step.lists) {
          const bits = slotMask(index, slotOf(v));
          for (let w = 0; w < mask.length; w++) mask[w]! |= bits[w]!;
        }
        return mask;
      }
      case 'values':
        return slotMask(index, slotOf(step.values.iins), step.mask);
      case 'set':
        return slotMask(index, slotOf(step.iins));
    }
  };
  const lanes = plan.steps
    .filter(readByIndex)
    .map((step) => ({ position: step.position, mask: maskOf(step), removesListed: removesListed(step) }));
  const setSteps = plan.steps
    .filter((step) => !readByIndex(step))
    .map((step): SetStep => {
      if (step.reads !== 'set') throw new TypeError(`the ${step.spec.label} step reads no set`);
      return { position: step.position, iins: step.iins, removesListed: removesListed(step) };
    });
  const listed = breakdownStep(plan);
  return {
    lanes,
    setSteps,
    breakdownPosition: listed?.position ?? -1,
    listBits: listed?.lists.map((v) => slotOf(v).bit) ?? [],
  };
}

/** Survivors written over the front of a scratch array: a copy when few survived, else a view. */
function keep(scratch: Float64Array, kept: number): IinVector {
  return kept * 2 < scratch.length ? scratch.slice(0, kept) : scratch.subarray(0, kept);
}

/**
 * The fused pass over a sorted unique input (changed in place): one merge against the index, each IIN's mask
 * tested step by step in table order until one removes it; then the set steps over what is left.
 */
export function indexedPass(current: Float64Array, plan: PassPlan, index: ClientIndex): PassCounts {
  const W = index.words;
  const { lanes, setSteps, breakdownPosition, listBits } = stepsOverIndex(plan, index);
  const breakdown = new ListBreakdown(listBits);
  const removed = new Uint32Array(FILTER_STEPS.length);
  const masks = index.masks;
  const u = index.iins;
  const n = u.length;
  let kept = 0;
  let j = 0;
  for (let i = 0; i < current.length; i++) {
    const x = current[i]!;
    while (j < n && u[j]! < x) j++;
    const at = j < n && u[j] === x ? j * W : -1;
    let by = SURVIVED;
    for (const lane of lanes) {
      let hit = false;
      for (let w = 0; w < W && at >= 0 && !hit; w++) hit = (masks[at + w]! & lane.mask[w]!) !== 0;
      if (hit === lane.removesListed) {
        by = lane.position;
        break;
      }
    }
    if (by === SURVIVED) current[kept++] = x;
    else {
      removed[by]!++;
      if (by === breakdownPosition) breakdown.count(masks, at);
    }
  }
  kept = keepBySetSteps(current, kept, setSteps, removed);
  return {
    distinct: current.length,
    removed,
    survivors: keep(current, kept),
    matched: breakdown.matched,
    onlyHere: breakdown.onlyHere,
  };
}

/** A bucketed pass split into jobs: run each (here, or one in a worker), then `finish` with their results. */
export interface BucketedPass {
  jobs: BucketMergeJob[];
  finish(results: BucketMergeResult[]): PassCounts;
}

/**
 * Prepares the bucketed pass over a raw input (any order, duplicates allowed) for a one-word index: the input is
 * scattered into the index's buckets by its top bits, then each job sorts its range of buckets while they sit in
 * cache and merges each with the index's own bucket of low bits (bucket-merge.ts). No full sort of the input, no
 * second pass over it, and the merge compares 32-bit integers within a bucket that fits in cache. With `parts`
 * 2 the buckets are split where half of the input and index lie, and the arrays are shared (for a worker).
 * Undefined when the index has more than one mask word or no buckets, or an input value is not an IIN-sized
 * integer: the caller then sorts the input. `scratch` (the caller's, kept between its runs) lends the big arrays;
 * without one they are allocated for this pass.
 */
export function prepareBucketedPass(
  input: ArrayLike<number>,
  plan: PassPlan,
  index: ClientIndex,
  parts: 1 | 2 = 1,
  scratch: PassScratch = new PassScratch(),
): BucketedPass | undefined {
  const { lows, bucketStarts: indexStarts } = index;
  if (index.words !== 1 || !lows || !indexStarts) return undefined;
  const shared = parts > 1;
  const n = input.length;
  const keys = (shared ? scratch.sharedKeys : scratch.keys).borrow(n);
  const bucketed = scatterIntoBuckets(input, shared, () => keys.array);
  if (!bucketed) {
    keys.giveBack();
    return undefined;
  }
  const { lanes, setSteps, breakdownPosition, listBits } = stepsOverIndex(plan, index);
  const lent = (shared ? scratch.sharedSurvivors : scratch.survivors).borrow(n);
  const survivors = lent.array;
  const job = (from: number, to: number): BucketMergeJob => ({
    input: bucketed,
    from,
    to,
    lows,
    masks: index.masks,
    indexStarts,
    laneMasks: lanes.map((lane) => lane.mask[0]!),
    lanePositions: lanes.map((lane) => lane.position),
    unlistedLanes: lanes.reduce((bits, lane, l) => (lane.removesListed ? bits : bits | (1 << l)), 0),
    setSteps,
    breakdownPosition,
    listBits,
    survivors,
  });
  const split = parts === 1 ? IIN_BUCKETS : halfway(bucketed.starts, indexStarts);
  const jobs = parts === 1 ? [job(0, IIN_BUCKETS)] : [job(0, split), job(split, IIN_BUCKETS)];
  return {
    jobs,
    finish(results) {
      const removed = new Uint32Array(FILTER_STEPS.length);
      const matched = new Uint32Array(listBits.length);
      const onlyHere = new Uint32Array(listBits.length);
      let distinct = 0;
      let kept = 0;
      results.forEach((r, k) => {
        distinct += r.distinct;
        for (let s = 0; s < removed.length; s++) removed[s]! += r.removed[s]!;
        for (let l = 0; l < listBits.length; l++) {
          matched[l]! += r.matched[l]!;
          onlyHere[l]! += r.onlyHere[l]!;
        }
        // Each job wrote from its range's input start: close the gaps.
        const at = bucketed.starts[jobs[k]!.from]!;
        if (at !== kept) survivors.copyWithin(kept, at, at + r.kept);
        kept += r.kept;
      });
      // Copied out of the scratch array (a shared one could not be transferred by callers either).
      const out = survivors.slice(0, kept);
      keys.giveBack();
      lent.giveBack();
      return { distinct, removed, survivors: out, matched, onlyHere };
    },
  };
}

/** The bucket where about half of the work (input keys plus index IINs walked) lies before it. */
function halfway(inputStarts: Uint32Array, indexStarts: Uint32Array): number {
  const total = inputStarts[IIN_BUCKETS]! + indexStarts[IIN_BUCKETS]!;
  let b = 0;
  while (b < IIN_BUCKETS && (inputStarts[b]! + indexStarts[b]!) * 2 < total) b++;
  return b;
}

/** The bucketed pass on this thread alone. */
export function bucketedIndexedPass(
  input: ArrayLike<number>,
  plan: PassPlan,
  index: ClientIndex,
  scratch?: PassScratch,
): PassCounts | undefined {
  const pass = prepareBucketedPass(input, plan, index, 1, scratch);
  return pass?.finish(pass.jobs.map(mergeBuckets));
}
