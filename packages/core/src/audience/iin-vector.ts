// Sorted unique IIN vectors: the engine's only set representation. Every IIN is < 2^53 (docs/ARCHITECTURE.md "Domain"), so a
// Float64Array holds it exactly; sets are combined by linear merges, never by JS Sets or per-row objects.
import {
  BucketSortScratch,
  IIN_BUCKET_SCALE,
  IIN_BUCKETS,
  scatterIntoBuckets,
  sortBucket,
} from './iin-buckets';

/** A Float64Array sorted ascending with no duplicates. The type is nominal documentation, not a brand. */
export type IinVector = Float64Array;

export const EMPTY_IIN_VECTOR: IinVector = new Float64Array(0);

/** True when `values` is strictly ascending (sorted and unique). O(n), used to skip sorting sorted exports. */
export function isSortedUnique(values: ArrayLike<number>): boolean {
  for (let i = 1; i < values.length; i++) {
    if (!((values[i] as number) > (values[i - 1] as number))) return false;
  }
  return true;
}

/** Largest value the three-pass radix sort handles: 40 bits (every 12-digit IIN is below 10^12 < 2^40). */
const RADIX_LIMIT = 2 ** 40;

/**
 * Sorted unique copy of `values` (input order and duplicates do not matter). Non-negative integers below 2^40 go
 * through a three-pass LSD radix sort (about twice as fast as the native typed-array sort at 5M values here);
 * anything else falls back to the native sort.
 */
export function sortUnique(values: ArrayLike<number>): IinVector {
  // The radix sort reads its input without changing it, so a Float64Array needs no defensive copy first.
  if (values instanceof Float64Array) return sortUniqueInPlace(values, false);
  return sortUniqueInPlace(new Float64Array(values as ArrayLike<number>));
}

/**
 * Like sortUnique, but may sort the given array itself (its contents are then lost); returns it, a view of it or
 * a new array. With `mayModify` false the input is left alone.
 */
export function sortUniqueInPlace(values: Float64Array, mayModify = true): IinVector {
  const n = values.length;
  // Scanned only while the values could still be in order (sorted exports): unsorted input stops at once, and
  // the radix sorts check the range in their first pass.
  let ascending = true;
  let nonDecreasing = true;
  let prev = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(v > prev)) {
      ascending = false;
      if (!(v >= prev)) {
        nonDecreasing = false;
        break;
      }
    }
    prev = v;
  }
  if (ascending) return mayModify ? values : values.slice();
  let sorted: Float64Array | undefined;
  if (nonDecreasing) sorted = mayModify ? values : values.slice();
  else if (n >= BUCKET_SORT_MIN) {
    const unique = bucketSortUnique(values);
    if (unique) return unique;
  } else if (n >= RADIX_SORT_MIN) sorted = radixSort40(values);
  // Not all integers in [0, 2^40) (or NaN), or a short list: the native sort.
  sorted ??= (mayModify ? values : values.slice()).sort();
  return dropAdjacentDuplicates(sorted);
}

/**
 * Builds a sorted unique vector from values arriving chunk by chunk (at most `capacity` in all), skipping
 * negative ones (rows without an IIN). While they come in order (sorted exports) each chunk is deduplicated
 * straight into the result; after the first value out of order the rest is appended and sorted at the end.
 */
export class IinVectorBuilder {
  // Pages are only touched as values are written: a capacity well above the count costs address space.
  private readonly out: Float64Array;
  private n = 0;
  private last = Number.NEGATIVE_INFINITY;
  private ordered = true;

  constructor(capacity: number) {
    this.out = new Float64Array(capacity);
  }

  add(values: Float64Array, length: number): void {
    const out = this.out;
    let n = this.n;
    let last = this.last;
    let ordered = this.ordered;
    for (let r = 0; r < length; r++) {
      const v = values[r]!;
      if (v < 0 || v === last) continue;
      if (v < last) ordered = false;
      out[n++] = v;
      if (ordered) last = v;
    }
    this.n = n;
    this.last = last;
    this.ordered = ordered;
  }

  finish(): IinVector {
    const filled = this.out.subarray(0, this.n);
    const vector = this.ordered ? filled : sortUniqueInPlace(filled);
    // A view that keeps a much larger buffer alive is copied down to size.
    return vector.buffer.byteLength > vector.byteLength * 1.25 ? vector.slice() : vector;
  }
}

/** Removes adjacent repeats of a sorted array in place and returns the unique prefix (a view, no copy). */
function dropAdjacentDuplicates(sorted: Float64Array): Float64Array {
  if (sorted.length < 2) return sorted;
  let w = 1;
  for (let r = 1; r < sorted.length; r++) {
    const v = sorted[r] as number;
    if (v !== sorted[w - 1]) sorted[w++] = v;
  }
  return w === sorted.length ? sorted : sorted.slice(0, w);
}

/** From this size on, bucketSortUnique beats the plain three-pass radix sort here. */
const BUCKET_SORT_MIN = 1 << 16;
/**
 * Below this many values the native sort is faster than radixSort40, whose three histograms (32k counters) are
 * cleared and summed whatever the length: a small list (an API preview, a test) paid ~0.2 ms for them.
 */
const RADIX_SORT_MIN = 1024;

/**
 * Sorted unique integers in [0, 2^40): scattered into the 4,096 IIN buckets by their top 12 bits (iin-buckets.ts),
 * then each bucket sorted on its low 28 bits while it sits in cache and written out without its repeats. IINs
 * cluster by birth date (digits 1-6), so buckets are large and few. Undefined (found in the first pass) when a
 * value is not an integer in that range.
 */
function bucketSortUnique(values: Float64Array): Float64Array | undefined {
  const bucketed = scatterIntoBuckets(values, false);
  if (!bucketed) return undefined;
  const { keys, starts } = bucketed;
  let largest = 0;
  for (let b = 0; b < IIN_BUCKETS; b++) largest = Math.max(largest, starts[b + 1]! - starts[b]!);
  const sorted = new Uint32Array(largest);
  const scratch = new BucketSortScratch(largest);
  const out = new Float64Array(values.length);
  let n = 0;
  for (let b = 0; b < IIN_BUCKETS; b++) {
    const s = starts[b]!;
    const e = starts[b + 1]!;
    if (e === s) continue;
    const k = sortBucket(keys, s, e, sorted, scratch);
    const base = b * IIN_BUCKET_SCALE;
    let previous = -1;
    for (let i = 0; i < k; i++) {
      const low = sorted[i]!;
      if (low === previous) continue;
      previous = low;
      out[n++] = base + low;
    }
  }
  return n === out.length ? out : out.slice(0, n);
}

/**
 * LSD radix sort of integers in [0, 2^40) with 14/13/13-bit digits; all three histograms built in one pass, which
 * also checks the range (undefined when a value is outside it).
 */
function radixSort40(values: Float64Array): Float64Array | undefined {
  const n = values.length;
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const h0 = new Uint32Array(1 << 14);
  const h1 = new Uint32Array(1 << 13);
  const h2 = new Uint32Array(1 << 13);
  for (let i = 0; i < n; i++) {
    const x = values[i] as number;
    if (!(x >= 0 && x < RADIX_LIMIT && Math.floor(x) === x)) return undefined;
    const h = (x / 4294967296) | 0;
    const l = (x - h * 4294967296) >>> 0;
    hi[i] = h;
    lo[i] = l;
    h0[l & 16383]!++;
    h1[(l >>> 14) & 8191]!++;
    h2[((l >>> 27) | (h << 5)) & 8191]!++;
  }
  toOffsets(h0);
  toOffsets(h1);
  toOffsets(h2);
  const lo2 = new Uint32Array(n);
  const hi2 = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const l = lo[i] as number;
    const p = h0[l & 16383]!++;
    lo2[p] = l;
    hi2[p] = hi[i] as number;
  }
  for (let i = 0; i < n; i++) {
    const l = lo2[i] as number;
    const p = h1[(l >>> 14) & 8191]!++;
    lo[p] = l;
    hi[p] = hi2[i] as number;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = lo[i] as number;
    const h = hi[i] as number;
    out[h2[((l >>> 27) | (h << 5)) & 8191]!++] = h * 4294967296 + l;
  }
  return out;
}

function toOffsets(histogram: Uint32Array): void {
  let sum = 0;
  for (let d = 0; d < histogram.length; d++) {
    const c = histogram[d] as number;
    histogram[d] = sum;
    sum += c;
  }
}

/** Union of any number of sorted unique vectors (k-way merge over a small binary heap of cursors). */
export function unionAll(vectors: readonly IinVector[]): IinVector {
  const inputs = vectors.filter((v) => v.length > 0);
  if (inputs.length === 0) return EMPTY_IIN_VECTOR;
  if (inputs.length === 1) return inputs[0]!.slice();
  if (inputs.length === 2) return union2(inputs[0]!, inputs[1]!);
  let total = 0;
  for (const v of inputs) total += v.length;
  const out = new Float64Array(total);
  const k = inputs.length;
  const heap = new Int32Array(k); // vector indexes ordered by their current head value
  const pos = new Int32Array(k);
  const head = new Float64Array(k);
  for (let v = 0; v < k; v++) {
    heap[v] = v;
    head[v] = inputs[v]![0]!;
  }
  let size = k;
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(heap, head, size, i);
  let n = 0;
  while (size > 0) {
    const top = heap[0]!;
    const x = head[top]!;
    if (n === 0 || out[n - 1] !== x) out[n++] = x;
    const vec = inputs[top]!;
    const p = ++pos[top]!;
    if (p < vec.length) head[top] = vec[p]!;
    else heap[0] = heap[--size]!;
    siftDown(heap, head, size, 0);
  }
  return n === out.length ? out : out.slice(0, n);
}

function union2(a: IinVector, b: IinVector): IinVector {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x < y) {
      out[n++] = x;
      i++;
    } else if (x > y) {
      out[n++] = y;
      j++;
    } else {
      out[n++] = x;
      i++;
      j++;
    }
  }
  while (i < a.length) out[n++] = a[i++] as number;
  while (j < b.length) out[n++] = b[j++] as number;
  return n === out.length ? out : out.slice(0, n);
}

function siftDown(heap: Int32Array, head: Float64Array, size: number, start: number): void {
  let i = start;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= size) return;
    const r = l + 1;
    let m = l;
    if (r < size && head[heap[r]!]! < head[heap[l]!]!) m = r;
    if (head[heap[m]!]! >= head[heap[i]!]!) return;
    const t = heap[i]!;
    heap[i] = heap[m]!;
    heap[m] = t;
    i = m;
  }
}

/** First index >= from whose value is >= x (galloping then binary search). */
function lowerBound(v: Float64Array, x: number, from: number): number {
  let lo = from;
  let step = 1;
  let hi = from;
  while (hi < v.length && (v[hi] as number) < x) {
    lo = hi + 1;
    hi += step;
    step *= 2;
  }
  if (hi > v.length) hi = v.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((v[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where x is in sorted unique `v` (a value dataset's row of masks), or -1 when it is not there. */
export function positionOf(v: IinVector, x: number): number {
  const i = lowerBound(v, x, 0);
  return i < v.length && v[i] === x ? i : -1;
}
