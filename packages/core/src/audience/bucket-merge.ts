// The bucketed pass's work on a range of buckets, as plain data so that it can run on another thread: a job sorts
// each bucket of an input scattered into the merged index's buckets (iin-buckets.ts) and merges it with the
// index's bucket. Typed arrays on a SharedArrayBuffer (when there is one) reach a worker without a copy.
import {
  type BucketedInput,
  BucketSortScratch,
  IIN_BUCKET_SCALE as LOW_SCALE,
  sortBucket,
} from './iin-buckets';
import { SetCursor } from './step-cursors';

/** Buckets [from, to) of a scattered input to sort and merge against the index. Plain data (worker-safe). */
export interface BucketMergeJob {
  input: BucketedInput;
  from: number;
  to: number;
  /** The merged index: low bits, one mask word per IIN, bucket starts (client-index.ts). */
  lows: Uint32Array;
  masks: Uint32Array;
  indexStarts: Uint32Array;
  /** Mask word per step in the seed's order (blacklist, device, push, MAU, product); `on`: a bit per step used. */
  stepMasks: number[];
  on: number;
  /** Each applied blacklist's bit, in plan order (for the per-list breakdown). */
  listBits: number[];
  /** Sorted unique IINs reserved by overlapping campaigns (contact pressure), or null when that step is off. */
  offLimit: Float64Array | null;
  /** Survivors are written here from index input.starts[from] on (a range holds at most its own input). */
  survivors: Float64Array;
}

export interface BucketMergeResult {
  distinct: number;
  /** Removed per step in STEPS order (contact pressure last). */
  removed: Uint32Array;
  kept: number;
  matched: Uint32Array;
  onlyHere: Uint32Array;
}

/** For a set of failed-step bits, the first step that failed; 5 (survived) when none did. */
const FIRST_FAILED = Uint8Array.from({ length: 32 }, (_, bits) =>
  bits === 0 ? 5 : 31 - Math.clz32(bits & -bits),
);

/** Sorts each bucket of the job's range while it sits in cache and merges it with the index's bucket. */
export function mergeBuckets(job: BucketMergeJob): BucketMergeResult {
  const { keys, starts } = job.input;
  const { lows, masks, indexStarts, listBits, survivors } = job;
  const [bl, dev, push, mau, prod] = job.stepMasks as [number, number, number, number, number];
  const on = job.on;
  const offLimit = job.offLimit ? new SetCursor(job.offLimit) : null;
  let largest = 0;
  for (let b = job.from; b < job.to; b++) largest = Math.max(largest, starts[b + 1]! - starts[b]!);
  const sorted = new Uint32Array(largest);
  const scratch = new BucketSortScratch(largest);
  const matched = new Uint32Array(listBits.length);
  const onlyHere = new Uint32Array(listBits.length);
  // Slots 0-4: removed by that step; 5: survived; 6: removed by contact pressure.
  const removed = new Uint32Array(7);
  const at = starts[job.from]!;
  let kept = 0;
  let distinct = 0;
  for (let b = job.from; b < job.to; b++) {
    const s = starts[b]!;
    const e = starts[b + 1]!;
    if (s === e) continue;
    const k = sortBucket(keys, s, e, sorted, scratch);
    const base = b * LOW_SCALE;
    let j = indexStarts[b]!;
    const ue = indexStarts[b + 1]!;
    let previous = -1;
    for (let i = 0; i < k; i++) {
      const low = sorted[i]!;
      if (low === previous) continue;
      previous = low;
      distinct++;
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
      const m = j < ue && lows[j] === low ? masks[j]! : 0;
      // Which step removes it, without a branch per step (the removals are spread over the steps, so branches
      // would mispredict): one bit per failed step, the first one found by table.
      const b0 = m & bl;
      const b1 = m & dev;
      const b2 = m & push;
      const b3 = m & mau;
      const b4 = m & prod;
      const failed =
        (((b0 | -b0) >>> 31) |
          ((((b1 | -b1) >>> 31) ^ 1) << 1) |
          ((((b2 | -b2) >>> 31) ^ 1) << 2) |
          ((((b3 | -b3) >>> 31) ^ 1) << 3) |
          ((((b4 | -b4) >>> 31) ^ 1) << 4)) &
        on;
      let step = FIRST_FAILED[failed]!;
      if (step === 0) countLists(m, listBits, matched, onlyHere);
      else if (step === 5 && offLimit?.has(base + low)) step = 6;
      removed[step]!++;
      survivors[at + kept] = base + low;
      kept += step === 5 ? 1 : 0;
    }
  }
  const byStep = Uint32Array.of(removed[0]!, removed[1]!, removed[2]!, removed[3]!, removed[4]!, removed[6]!);
  return { distinct, removed: byStep, kept, matched, onlyHere };
}

/** Per-list breakdown for a blacklisted IIN whose merged mask word is m (one-word layout). */
function countLists(m: number, listBits: number[], matched: Uint32Array, onlyHere: Uint32Array): void {
  let bits = 0;
  let single = -1;
  for (let k = 0; k < listBits.length; k++) {
    if (((m >>> listBits[k]!) & 1) === 0) continue;
    matched[k]!++;
    single = k;
    bits++;
  }
  if (bits === 1) onlyHere[single]!++;
}
