// The bucketed pass's work on a range of buckets, as plain data so that it can run on another thread: a job sorts
// each bucket of an input scattered into the merged index's buckets (iin-buckets.ts) and merges it with the
// index's bucket. Typed arrays on a SharedArrayBuffer (when there is one) reach a worker without a copy.
import { FILTER_STEPS, SURVIVED } from './filter-steps';
import {
  type BucketedInput,
  BucketSortScratch,
  IIN_BUCKET_SCALE as LOW_SCALE,
  sortBucket,
} from './iin-buckets';
import { ListBreakdown } from './list-breakdown';
import type { SetStep } from './pass-plan';
import { keepBySetSteps } from './set-filter';

/** Buckets [from, to) of a scattered input to sort and merge against the index. Plain data (worker-safe). */
export interface BucketMergeJob {
  input: BucketedInput;
  from: number;
  to: number;
  /** The merged index: low bits, one mask word per IIN, bucket starts (client-index.ts). */
  lows: Uint32Array;
  masks: Uint32Array;
  indexStarts: Uint32Array;
  /**
   * The applied steps read through the index, in table order (filter-steps.ts), one lane each: its mask word and
   * its position in the table. `unlistedLanes` has a bit per lane whose step removes the IINs it does not find.
   */
  laneMasks: number[];
  lanePositions: number[];
  unlistedLanes: number;
  /** The applied steps read after the index, as sets (the off-limit IINs), in table order. */
  setSteps: SetStep[];
  /** The position of the step with the per-list breakdown (-1: none applies), and each of its lists' bits. */
  breakdownPosition: number;
  listBits: number[];
  /** Survivors are written here from index input.starts[from] on (a range holds at most its own input). */
  survivors: Float64Array;
}

export interface BucketMergeResult {
  distinct: number;
  /** Removed per step, indexed by the step's position in FILTER_STEPS. */
  removed: Uint32Array;
  kept: number;
  matched: Uint32Array;
  onlyHere: Uint32Array;
}

/** Lanes fit the bits of one lookup entry (8 bits); the table has fewer steps than that. */
const MAX_LANES = 8;

/**
 * For each byte position of a mask word and each byte value, the lanes that byte hits (a bit per lane): a mask
 * word's hits are then four lookups and three ORs, however many lanes there are.
 */
function laneHitsByByte(laneMasks: readonly number[]): Uint8Array {
  if (laneMasks.length > MAX_LANES) throw new RangeError(`at most ${MAX_LANES} steps read through the index`);
  const table = new Uint8Array(4 * 256);
  for (let byte = 0; byte < 4; byte++)
    for (let v = 0; v < 256; v++) {
      let hits = 0;
      laneMasks.forEach((mask, l) => {
        if (((mask >>> (8 * byte)) & v) !== 0) hits |= 1 << l;
      });
      table[byte * 256 + v] = hits;
    }
  return table;
}

/** For each set of failed lanes, the position of the first one's step; SURVIVED when none failed. */
function firstFailedSteps(lanePositions: readonly number[]): Uint8Array {
  return Uint8Array.from({ length: 1 << lanePositions.length }, (_, bits) =>
    bits === 0 ? SURVIVED : lanePositions[31 - Math.clz32(bits & -bits)]!,
  );
}

/** Sorts each bucket of the job's range while it sits in cache and merges it with the index's bucket. */
export function mergeBuckets(job: BucketMergeJob): BucketMergeResult {
  const { starts } = job.input;
  const merger = new BucketMerger(job);
  const at = starts[job.from]!;
  let kept = 0;
  for (let b = job.from; b < job.to; b++) {
    if (starts[b] !== starts[b + 1]) kept += merger.merge(b, at + kept);
  }
  const { removed, breakdown } = merger;
  // Every distinct IIN is counted once, at the step that removed it or as a survivor.
  let distinct = 0;
  for (const count of removed) distinct += count;
  const byStep = removed.slice(0, FILTER_STEPS.length);
  kept = keepBySetSteps(job.survivors.subarray(at, at + kept), kept, job.setSteps, byStep);
  return {
    distinct,
    removed: byStep,
    kept,
    matched: breakdown.matched,
    onlyHere: breakdown.onlyHere,
  };
}

/**
 * One job's merge, a bucket per call. The loops live in a method called once per bucket (a few hundred times a
 * run), not in one long loop: V8 then optimizes it as a whole function with feedback from every path, where the
 * single loop was compiled on the stack (OSR) and dropped back to the interpreter several times a run.
 */
class BucketMerger {
  readonly breakdown: ListBreakdown;
  /** One slot per step, then one for the survivors (counted branch-free like the others). */
  readonly removed = new Uint32Array(SURVIVED + 1);
  private readonly job: BucketMergeJob;
  private readonly hitsOf: Uint8Array;
  private readonly firstFailed: Uint8Array;
  private readonly sorted: Uint32Array;
  private readonly scratch: BucketSortScratch;

  constructor(job: BucketMergeJob) {
    this.job = job;
    this.hitsOf = laneHitsByByte(job.laneMasks);
    this.firstFailed = firstFailedSteps(job.lanePositions);
    this.breakdown = new ListBreakdown(job.listBits);
    const { starts } = job.input;
    let largest = 0;
    for (let b = job.from; b < job.to; b++) largest = Math.max(largest, starts[b + 1]! - starts[b]!);
    this.sorted = new Uint32Array(largest);
    this.scratch = new BucketSortScratch(largest);
  }

  /** Sorts and merges bucket b (not empty), writing its survivors from survivors[out]; returns how many. */
  merge(b: number, out: number): number {
    const { keys, starts } = this.job.input;
    const { lows, masks, indexStarts, breakdownPosition, survivors } = this.job;
    const { hitsOf, firstFailed, sorted, removed, breakdown } = this;
    const unlisted = this.job.unlistedLanes;
    // Locals: an imported constant read in the loop costs a load and a check per IIN.
    const survived = SURVIVED;
    const base = b * LOW_SCALE;
    const k = sortBucket(keys, starts[b]!, starts[b + 1]!, sorted, this.scratch);
    let j = indexStarts[b]!;
    const ue = indexStarts[b + 1]!;
    let previous = -1;
    let kept = 0;
    for (let i = 0; i < k; i++) {
      const low = sorted[i]!;
      if (low === previous) continue;
      previous = low;
      // Skip index IINs below this one four at a time: lows are below 2^28, so (lows[j] - low) >>> 31 is 1
      // exactly when lows[j] < low, and in a sorted run the count of those is how far to move. Fewer loop exits
      // to mispredict than one step at a time (about a fifth faster).
      while (j + 4 <= ue) {
        const c =
          ((lows[j]! - low) >>> 31) +
          ((lows[j + 1]! - low) >>> 31) +
          ((lows[j + 2]! - low) >>> 31) +
          ((lows[j + 3]! - low) >>> 31);
        j += c;
        if (c < 4) break;
      }
      while (j < ue && lows[j]! < low) j++;
      const found = j < ue && lows[j] === low;
      const m = found ? masks[j]! : 0;
      // Which step removes it, without a branch per step (the removals are spread over the steps, so branches
      // would mispredict): a bit per lane that finds the IIN, flipped for the steps that remove what they do not
      // find, and the first failed lane's step looked up.
      const hits =
        hitsOf[m & 255]! |
        hitsOf[256 + ((m >>> 8) & 255)]! |
        hitsOf[512 + ((m >>> 16) & 255)]! |
        hitsOf[768 + (m >>> 24)]!;
      const step = firstFailed[hits ^ unlisted]!;
      if (step === breakdownPosition) breakdown.count(masks, j);
      removed[step]!++;
      survivors[out + kept] = base + low;
      kept += step === survived ? 1 : 0;
    }
    // Nothing but the return after the loop: V8 compiles the loop while it runs (OSR), and an access after it
    // that had never run yet sent every compiled copy back to the interpreter (--trace-deopt).
    return kept;
  }
}
