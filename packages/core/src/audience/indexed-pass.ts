// The pipeline's pass over the merged client index (client-index.ts): each input IIN is found once in the one
// vector of all dataset IINs, and its mask word says what every dataset holds for it. Two forms: over an input
// already sorted (any mask width), and the bucketed pass that sorts a raw input bucket by bucket while it walks
// the index (one mask word; the usual case and the fast one).
import { type ClientIndex, INDEX_BUCKET_BITS, INDEX_BUCKETS, slotMask } from './client-index';
import type { IinVector } from './iin-vector';
import { type PassCounts, type PassPlan, STEPS, type ValueStep } from './pass-plan';

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
  const offLimit = plan.offLimit;
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

const LOW_SCALE = 2 ** INDEX_BUCKET_BITS;

/**
 * The fused pass over a raw input (any order, duplicates allowed) for a one-word index. The input is scattered
 * into the index's buckets by its top bits (one pass to count, one to place the low 28 bits), then each bucket
 * is radix-sorted while it sits in cache and merged with the index's own bucket of low bits. No full sort of the
 * input, no second pass over it, and the merge compares 32-bit integers within a bucket that fits in cache.
 * Returns undefined when an input value is not an integer in [0, 2^40) (not an IIN): the caller sorts instead.
 */
export function bucketedIndexedPass(
  input: ArrayLike<number>,
  plan: PassPlan,
  index: ClientIndex,
): PassCounts | undefined {
  const { lows, bucketStarts: ustarts } = index;
  if (index.words !== 1 || !lows || !ustarts) return undefined;
  const n = input.length;
  const starts = new Uint32Array(INDEX_BUCKETS + 1);
  for (let i = 0; i < n; i++) {
    const x = input[i]!;
    const b = Math.floor(x / LOW_SCALE);
    if (!(b >= 0 && b < INDEX_BUCKETS && Math.floor(x) === x)) return undefined;
    starts[b + 1]!++;
  }
  let largest = 0;
  for (let b = 0; b < INDEX_BUCKETS; b++) {
    if (starts[b + 1]! > largest) largest = starts[b + 1]!;
    starts[b + 1]! += starts[b]!;
  }
  const fill = starts.slice(0, INDEX_BUCKETS);
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const x = input[i]!;
    const b = Math.floor(x / LOW_SCALE);
    keys[fill[b]!++] = x - b * LOW_SCALE;
  }

  const { listBits, inOrder } = stepMasks(plan, index);
  const [bl, dev, push, mau, prod] = inOrder.map((m) => (m ? m[0]! : 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  // Steps that are off never count as failed.
  const on = inOrder.reduce((bits, m, k) => (m ? bits | (1 << k) : bits), 0);
  const lists = listBits.length;
  const matched = new Uint32Array(lists);
  const onlyHere = new Uint32Array(lists);
  // Slots 0-4: removed by that step; 5: survived; 6: removed by contact pressure.
  const removed = new Uint32Array(7);
  const offLimit = plan.offLimit;
  const masks = index.masks;
  const survivors = new Float64Array(n);
  const sorted = new Uint32Array(largest);
  const scratch = new Uint32Array(largest);
  const lowCounts = new Uint32Array(1 << 14);
  const highCounts = new Uint32Array(1 << 14);
  let kept = 0;
  let distinct = 0;
  for (let b = 0; b < INDEX_BUCKETS; b++) {
    const s = starts[b]!;
    const e = starts[b + 1]!;
    if (s === e) continue;
    const k = sortBucket(keys, s, e, sorted, scratch, lowCounts, highCounts);
    const base = b * LOW_SCALE;
    let j = ustarts[b]!;
    const ue = ustarts[b + 1]!;
    let previous = -1;
    for (let i = 0; i < k; i++) {
      const low = sorted[i]!;
      if (low === previous) continue;
      previous = low;
      distinct++;
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
      survivors[kept] = base + low;
      kept += step === 5 ? 1 : 0;
    }
  }
  const byStep = Uint32Array.of(removed[0]!, removed[1]!, removed[2]!, removed[3]!, removed[4]!, removed[6]!);
  return { distinct, removed: byStep, survivors: keep(survivors, kept), matched, onlyHere };
}

/** For a set of failed-step bits, the first step that failed; 5 (survived) when none did. */
const FIRST_FAILED = Uint8Array.from({ length: 32 }, (_, bits) =>
  bits === 0 ? 5 : 31 - Math.clz32(bits & -bits),
);

/**
 * Sorts keys[s, e) (values below 2^28) into out[0, e - s) and returns e - s: two 14-bit LSD radix passes through
 * `scratch`, both histograms counted in one pass. A bucket is a few tens of thousands of keys, so all of it stays
 * in cache while it is sorted; small buckets use the native sort.
 */
function sortBucket(
  keys: Uint32Array,
  s: number,
  e: number,
  out: Uint32Array,
  scratch: Uint32Array,
  low: Uint32Array,
  high: Uint32Array,
): number {
  const k = e - s;
  if (k < 256) {
    out.set(keys.subarray(s, e));
    out.subarray(0, k).sort();
    return k;
  }
  low.fill(0);
  high.fill(0);
  for (let i = s; i < e; i++) {
    const v = keys[i]!;
    low[v & 16383]!++;
    high[v >>> 14]!++;
  }
  let sumLow = 0;
  let sumHigh = 0;
  for (let d = 0; d < 16384; d++) {
    const cl = low[d]!;
    low[d] = sumLow;
    sumLow += cl;
    const ch = high[d]!;
    high[d] = sumHigh;
    sumHigh += ch;
  }
  for (let i = s; i < e; i++) {
    const v = keys[i]!;
    scratch[low[v & 16383]!++] = v;
  }
  for (let i = 0; i < k; i++) {
    const v = scratch[i]!;
    out[high[v >>> 14]!++] = v;
  }
  return k;
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
