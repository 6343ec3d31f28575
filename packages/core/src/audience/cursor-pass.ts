// The pipeline's pass without a merged index (cold runs): the applied steps in table order, each one merge of the
// IINs still in (sorted) against the vector it reads, keeping those it does not remove. Every IIN meets the
// steps in order until one removes it, which gives every step's count exactly as the seed's step-by-step run
// would, and each step's loop does one kind of test only.
import { FILTER_STEPS } from './filter-steps';
import { ListBreakdown } from './list-breakdown';
import { type PassCounts, type PassPlan, removesListed } from './pass-plan';
import type { PipelineCache } from './pipeline-cache';
import { forwardTo, keepBySet } from './set-filter';
import { type IndexedValues, indexVectors } from './value-index';

/**
 * One pass over a sorted unique input (changed in place: the survivors are written over its front). The cache
 * keeps merged lists for later runs.
 */
export function cursorPass(current: Float64Array, plan: PassPlan, cache?: PipelineCache): PassCounts {
  const removed = new Uint32Array(FILTER_STEPS.length);
  let breakdown: ListBreakdown | undefined;
  let left = current.length;
  for (const step of plan.steps) {
    const dropListed = removesListed(step);
    let kept: number;
    switch (step.reads) {
      case 'set':
        kept = keepBySet(current, left, step.iins, dropListed);
        break;
      case 'values':
        kept = keepByValues(current, left, step.values, step.mask, dropListed);
        break;
      case 'lists': {
        // The lists merged into one vector carry list k's bit at position k.
        if (step.spec.perListBreakdown) breakdown = new ListBreakdown(step.lists.map((_, k) => k));
        const merged = cache ? cache.mergedLists(step.lists) : indexVectors(step.lists);
        kept = keepByLists(current, left, merged, dropListed, breakdown);
        break;
      }
    }
    removed[step.position] = left - kept;
    left = kept;
  }
  const lists = breakdown?.matched.length ?? 0;
  return {
    distinct: current.length,
    removed,
    survivors: current.slice(0, left),
    matched: breakdown?.matched ?? new Uint32Array(lists),
    onlyHere: breakdown?.onlyHere ?? new Uint32Array(lists),
  };
}

/** As keepBySet, an IIN counting as found when it holds any wanted value. */
function keepByValues(
  current: Float64Array,
  n: number,
  { iins, index }: IndexedValues,
  wanted: Uint32Array,
  dropListed: boolean,
): number {
  const { masks, words } = index;
  let kept = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const x = current[i]!;
    j = forwardTo(iins, j, x);
    let found = false;
    if (j < iins.length && iins[j] === x)
      for (let w = 0; w < words && !found; w++) found = (masks[j * words + w]! & wanted[w]!) !== 0;
    if (found !== dropListed) current[kept++] = x;
  }
  return kept;
}

/** As keepBySet over the lists merged into one vector; each IIN removed is counted in the breakdown. */
function keepByLists(
  current: Float64Array,
  n: number,
  { iins, index }: IndexedValues,
  dropListed: boolean,
  breakdown: ListBreakdown | undefined,
): number {
  const { masks, words } = index;
  let kept = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const x = current[i]!;
    j = forwardTo(iins, j, x);
    if ((j < iins.length && iins[j] === x) !== dropListed) current[kept++] = x;
    else breakdown?.count(masks, j * words);
  }
  return kept;
}
