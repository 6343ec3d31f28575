// A step over a sorted set, as one merge of the IINs still in against it: the cursor pass's set steps, and the
// steps every pass over the merged index reads after it (the off-limit IINs, which come with each run and so are
// never in the index).
import type { IinVector } from './iin-vector';
import type { SetStep } from './pass-plan';

/**
 * Keeps, in place, the IINs of current[0, n) (ascending) that the step leaves: with `dropListed` those not in
 * `set`, else those in it. Returns how many were kept.
 */
export function keepBySet(current: Float64Array, n: number, set: IinVector, dropListed: boolean): number {
  let kept = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const x = current[i]!;
    j = forwardTo(set, j, x);
    if ((j < set.length && set[j] === x) !== dropListed) current[kept++] = x;
  }
  return kept;
}

/** The merge's step forward: the first index from j whose IIN is not below x. */
export function forwardTo(iins: IinVector, j: number, x: number): number {
  let at = j;
  while (at < iins.length && iins[at]! < x) at++;
  return at;
}

/**
 * The set steps in order over current[0, n), each removal counted at its step's position in `removed`. Returns
 * how many IINs are left.
 */
export function keepBySetSteps(
  current: Float64Array,
  n: number,
  steps: readonly SetStep[],
  removed: Uint32Array,
): number {
  let left = n;
  for (const step of steps) {
    const kept = keepBySet(current, left, step.iins, step.removesListed);
    removed[step.position]! += left - kept;
    left = kept;
  }
  return left;
}
