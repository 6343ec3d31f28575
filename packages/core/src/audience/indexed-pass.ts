// The pipeline's pass over the merged client index (client-index.ts): each input IIN is found once in the one
// vector of all dataset IINs, and its mask word says what every dataset holds for it. Two forms: over an input
// already sorted (any mask width), and the bucketed pass that sorts a raw input bucket by bucket while it walks
// the index (one mask word; the usual case and the fast one), on one thread or split in two.
import { type BucketMergeJob, type BucketMergeResult, mergeBuckets } from './bucket-merge';
import { type ClientIndex, slotMask } from './client-index';
import { IIN_BUCKETS, scatterIntoBuckets } from './iin-buckets';
import type { IinVector } from './iin-vector';
import { type PassCounts, type PassPlan, STEPS, type ValueStep } from './pass-plan';
import { ScratchArray } from './scratch-array';
import { sharedArray } from './shared-array';
import { SetCursor } from './step-cursors';

/** The plan's step masks over the index layout (null for a step that is off), and each blacklist's bit. */
function stepMasks(plan: PassPlan, index: ClientIndex) {
  const slotOf = (v: IinVector) => index.slots.get(v)!;
  const listBits = plan.blacklistLists.map((v) => slotOf(v).bit);
  const blacklist = new Uint32Array(index.words);
  for (const b of listBits) blacklist[b >>> 5]! |= 1 << (b & 31);
  const valueMask = (step: ValueStep | null) =>
    step ? slotMask(index, slotOf(step.values.iins), step.mask) : null;
  const inOrder = [
    plan.blacklistLists.length > 0 ? blacklist : null,
    valueMask(plan.device),
    valueMask(plan.push),
    plan.mau ? slotMask(index, slotOf(plan.mau)) : null,
    valueMask(plan.product),
  ];
  return { listBits, inOrder };
}

/** Survivors written over the front of a scratch array: a copy when few survived, else a view. */
function keep(scratch: Float64Array, kept: number): IinVector {
  return kept * 2 < scratch.length ? scratch.slice(0, kept) : scratch.subarray(0, kept);
}

/** The fused pass over a sorted unique input (changed in place): one merge against the index, then mask tests. */
export function indexedPass(current: Float64Array, plan: PassPlan, index: ClientIndex): PassCounts {
  const W = index.words;
  const { listBits, inOrder } = stepMasks(plan, index);
  const lists = listBits.length;
  const matched = new Uint32Array(lists);
  const onlyHere = new Uint32Array(lists);
  const removed = new Uint32Array(STEPS.length);
  const offLimit = plan.offLimit ? new SetCursor(plan.offLimit) : null;
  const masks = index.masks;
  const u = index.iins;
  const n = u.length;
  const hit = (at: number, mask: Uint32Array) => {
    if (at < 0) return false;
    for (let w = 0; w < W; w++) if ((masks[at + w]! & mask[w]!) !== 0) return true;
    return false;
  };
  let kept = 0;
  let j = 0;
  for (let i = 0; i < current.length; i++) {
    const x = current[i]!;
    while (j < n && u[j]! < x) j++;
    const at = j < n && u[j] === x ? j * W : -1;
    let step = -1;
    for (let k = 0; k < 5; k++) {
      const mask = inOrder[k];
      if (!mask) continue;
      if (k === 0 ? hit(at, mask) : !hit(at, mask)) {
        step = k;
        break;
      }
    }
    if (step === 0) {
      removed[0]!++;
      for (let k = 0; k < lists; k++) {
        const b = listBits[k]!;
        if (((masks[at + (b >>> 5)]! >>> (b & 31)) & 1) === 0) continue;
        matched[k]!++;
        let others = false;
        for (let o = 0; o < lists && !others; o++) {
          const c = listBits[o]!;
          others = o !== k && ((masks[at + (c >>> 5)]! >>> (c & 31)) & 1) === 1;
        }
        if (!others) onlyHere[k]!++;
      }
    } else if (step > 0) removed[step]!++;
    else if (offLimit?.has(x)) removed[5]!++;
    else current[kept++] = x;
  }
  return { distinct: current.length, removed, survivors: keep(current, kept), matched, onlyHere };
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
 * integer: the caller then sorts the input.
 */
export function prepareBucketedPass(
  input: ArrayLike<number>,
  plan: PassPlan,
  index: ClientIndex,
  parts: 1 | 2 = 1,
): BucketedPass | undefined {
  const { lows, bucketStarts: indexStarts } = index;
  if (index.words !== 1 || !lows || !indexStarts) return undefined;
  const shared = parts > 1;
  const n = input.length;
  const scratch = shared ? SHARED_SCRATCH : SCRATCH;
  const keys = scratch.keys.borrow(n);
  const bucketed = scatterIntoBuckets(input, shared, () => keys.array);
  if (!bucketed) {
    keys.giveBack();
    return undefined;
  }
  const { listBits, inOrder } = stepMasks(plan, index);
  const lent = scratch.survivors.borrow(n);
  const survivors = lent.array;
  const job = (from: number, to: number): BucketMergeJob => ({
    input: bucketed,
    from,
    to,
    lows,
    masks: index.masks,
    indexStarts,
    stepMasks: inOrder.map((m) => (m ? m[0]! : 0)),
    // Steps that are off never count as failed.
    on: inOrder.reduce((bits, m, k) => (m ? bits | (1 << k) : bits), 0),
    listBits,
    offLimit: plan.offLimit,
    survivors,
  });
  const split = parts === 1 ? IIN_BUCKETS : halfway(bucketed.starts, indexStarts);
  const jobs = parts === 1 ? [job(0, IIN_BUCKETS)] : [job(0, split), job(split, IIN_BUCKETS)];
  return {
    jobs,
    finish(results) {
      const removed = new Uint32Array(STEPS.length);
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

/** Reused between runs (scratch-array.ts): one set for the one-thread pass, one on shared memory for the split. */
const SCRATCH = {
  keys: new ScratchArray((n) => new Uint32Array(n)),
  survivors: new ScratchArray((n) => new Float64Array(n)),
};
const SHARED_SCRATCH = {
  keys: new ScratchArray((n) => sharedArray(Uint32Array, n)),
  survivors: new ScratchArray((n) => sharedArray(Float64Array, n)),
};

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
): PassCounts | undefined {
  const pass = prepareBucketedPass(input, plan, index);
  return pass?.finish(pass.jobs.map(mergeBuckets));
}
