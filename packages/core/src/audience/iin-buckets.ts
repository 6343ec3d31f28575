// IINs (below 10^12 < 2^40) split into 4,096 buckets by their top 12 bits, keeping the low 28 bits as 32-bit
// integers: the layout of the merged client index, of the bucketed warm pass and of sortUnique. A bucket spans
// about 3 months of birth dates, so at 10M clients one holds ~30k IINs and is sorted or merged while it sits in
// a core's cache.
import { sharedArray } from './shared-array';

export const IIN_BUCKET_BITS = 28;
export const IIN_BUCKETS = 4096;
/** 2^28: an IIN is bucket * IIN_BUCKET_SCALE + its low bits. */
export const IIN_BUCKET_SCALE = 2 ** IIN_BUCKET_BITS;

/** An input scattered into buckets: bucket b's low bits are keys[starts[b], starts[b + 1]), in input order. */
export interface BucketedInput {
  keys: Uint32Array;
  starts: Uint32Array;
}

/**
 * Scatters the input into the index buckets: one pass to count, one to place. Returns undefined when a value is
 * not an integer in [0, 2^40) (not an IIN): the caller then sorts the input instead.
 */
export function scatterIntoBuckets(
  input: ArrayLike<number>,
  shared: boolean,
  keysFor: (length: number) => Uint32Array = (length) =>
    shared ? sharedArray(Uint32Array, length) : new Uint32Array(length),
): BucketedInput | undefined {
  const starts = shared ? sharedArray(Uint32Array, IIN_BUCKETS + 1) : new Uint32Array(IIN_BUCKETS + 1);
  if (!countBuckets(input, starts)) return undefined;
  for (let b = 0; b < IIN_BUCKETS; b++) starts[b + 1]! += starts[b]!;
  const keys = keysFor(input.length);
  return placeInBuckets(input, starts, keys) ? { keys, starts } : undefined;
}

// The loops below read the scale from a local: a module constant read inside a hot loop is a load and a check
// per element in V8 (about half the scatter's time at 5M).

/** Whether a double's high 32-bit word is the odd one of its pair in a Uint32Array view (every platform Node runs on). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * starts[b + 1] += the count of bucket b. A Float64Array is counted from its high words alone (integer work on
 * half the bytes: about 20 ms instead of 32 at 5M); its values are checked when they are placed. Others are
 * checked here: false when a value is not an integer in [0, 2^40).
 */
function countBuckets(input: ArrayLike<number>, starts: Uint32Array): boolean {
  if (input instanceof Float64Array && LITTLE_ENDIAN) {
    countByHighWords(new Uint32Array(input.buffer, input.byteOffset, input.length * 2), starts);
    return true;
  }
  const scale = IIN_BUCKET_SCALE;
  const buckets = IIN_BUCKETS;
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    const b = Math.floor(x / scale);
    if (!(b >= 0 && b < buckets && Math.floor(x) === x)) return false;
    starts[b + 1]!++;
  }
  return true;
}

/**
 * The counts from each double's high word: for x in [2^28, 2^40), with e its exponent and sig the top 21 bits of
 * its significand (the leading 1 included), floor(x / 2^28) = sig >>> (48 - e) exactly (the bits below sig add
 * less than one step of it); below 2^28 the shift is 21 or more and gives bucket 0. A value that is no IIN lands
 * in some bucket here and is refused by placeInBuckets.
 */
function countByHighWords(words: Uint32Array, starts: Uint32Array): void {
  const mask = IIN_BUCKETS - 1;
  for (let i = 1; i < words.length; i += 2) {
    const hi = words[i]!;
    const biased = (hi >>> 20) & 2047;
    const sig = (hi & 0xfffff) | 0x100000;
    // 48 - e with e = biased - 1023; a zero's shift (1071) is clamped, which still gives 0.
    starts[((sig >>> Math.min(1071 - biased, 31)) & mask) + 1]!++;
  }
}

/**
 * Each value's low bits into its bucket's next place, buckets laid out by `starts`; false when a value is not an
 * integer in [0, 2^40) (its count may have gone to any bucket, so nothing placed is used then).
 */
function placeInBuckets(input: ArrayLike<number>, starts: Uint32Array, keys: Uint32Array): boolean {
  const scale = IIN_BUCKET_SCALE;
  const buckets = IIN_BUCKETS;
  const fill = starts.slice(0, IIN_BUCKETS);
  for (let i = 0; i < input.length; i++) {
    const x = input[i]!;
    const b = Math.floor(x / scale);
    if (!(b >= 0 && b < buckets && Math.floor(x) === x)) return false;
    keys[fill[b]!++] = x - b * scale;
  }
  return true;
}

/** True when keys[s, e) never descend; stops at the first descent, so an unordered bucket costs a few reads. */
function ascending(keys: Uint32Array, s: number, e: number): boolean {
  for (let i = s + 1; i < e; i++) if (keys[i]! < keys[i - 1]!) return false;
  return true;
}

/** Below this many keys the native sort beats two radix passes (their four 16k-entry histogram sweeps). */
const SMALL_BUCKET = 2048;

/**
 * Scratch space for sortBucket: keys as long as the largest bucket, and the two 14-bit histograms (empty when no
 * bucket is big enough to be radix-sorted: a pass over a few IINs zeroed 128 kB for nothing).
 */
export class BucketSortScratch {
  readonly keys: Uint32Array;
  readonly low: Uint32Array;
  readonly high: Uint32Array;
  constructor(largestBucket: number) {
    const radix = largestBucket >= SMALL_BUCKET;
    this.keys = new Uint32Array(radix ? largestBucket : 0);
    this.low = new Uint32Array(radix ? 1 << 14 : 0);
    this.high = new Uint32Array(radix ? 1 << 14 : 0);
  }
}

/**
 * Sorts keys[s, e) by their 28 bits from `shift` up (bits below ride along: a value index packs its codes there)
 * into out[0, e - s) and returns e - s: two 14-bit LSD radix passes through `scratch`, both histograms counted in
 * one pass. A bucket is a few tens of thousands of keys, so all of it stays in cache while it is sorted; small
 * buckets use the native sort (by the whole key, which orders the sorted bits too).
 */
export function sortBucket(
  keys: Uint32Array,
  s: number,
  e: number,
  out: Uint32Array,
  { keys: scratch, low, high }: BucketSortScratch,
  shift = 0,
): number {
  const k = e - s;
  if (ascending(keys, s, e)) {
    // Already in order (an input decoded from a stored audience is ascending): both sorts would keep it as it is.
    out.set(keys.subarray(s, e));
    return k;
  }
  if (k < SMALL_BUCKET) {
    out.set(keys.subarray(s, e));
    out.subarray(0, k).sort();
    return k;
  }
  const highShift = shift + 14;
  low.fill(0);
  high.fill(0);
  for (let i = s; i < e; i++) {
    const v = keys[i]!;
    low[(v >>> shift) & 16383]!++;
    high[(v >>> highShift) & 16383]!++;
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
    scratch[low[(v >>> shift) & 16383]!++] = v;
  }
  for (let i = 0; i < k; i++) {
    const v = scratch[i]!;
    out[high[(v >>> highShift) & 16383]!++] = v;
  }
  return k;
}
