// (IIN, value code) rows of a file in no order, gathered by IIN bucket (iin-buckets.ts) while the file decodes:
// each row becomes one 32-bit key, the IIN's low 28 bits above a 4-bit code, appended to its bucket's blocks.
// At the end each bucket is sorted in cache and swept into distinct IINs and masks. Compared with buffering every
// row (8-byte IIN + 4-byte code) and bucketing afterwards, it saves a copy, a counting pass and a scatter pass
// over all rows, and holds 4 bytes a row instead of 16.
import { BucketSortScratch, IIN_BUCKET_SCALE, IIN_BUCKETS, sortBucket } from './iin-buckets';

/** Codes above this do not fit the key: the caller keeps such rows itself. */
export const MAX_BUCKETED_CODE = 15;
const CODE_BITS = 4;
const CODE_MASK = (1 << CODE_BITS) - 1;
/** Every 12-digit IIN is below 10^12 < 2^40 = IIN_BUCKETS * IIN_BUCKET_SCALE. */
const KEY_LIMIT = IIN_BUCKETS * IIN_BUCKET_SCALE;
const TO_BUCKET = 1 / IIN_BUCKET_SCALE;
/** Keys per block: a bucket's rows are a chain of blocks in one pool, the last one partly filled. */
const BLOCK_BITS = 10;
const BLOCK = 1 << BLOCK_BITS;

/** What the buckets hold, swept: distinct IINs ascending, a mask (`words` words) and per-label counts. */
export interface SweptRows {
  iins: Float64Array;
  masks: Uint32Array;
  /** Entries of iins (and of masks, times words) in use. */
  distinct: number;
  counts: Uint32Array;
}

/** Distinct IINs and their masks as a sweep writes them, longer than what is used so far. */
export interface SweptOutput {
  iins: Float64Array;
  masks: Uint32Array;
}

/**
 * The output with room for `more` IINs after the `used` ones, sized for `total` rows at `perRow` IINs a row (as
 * seen so far) plus 5%: sized for every row it would be 2-3x too big.
 */
export function withRoom(
  output: SweptOutput,
  used: number,
  more: number,
  perRow: number,
  total: number,
  words: number,
): SweptOutput {
  const size = Math.min(total, Math.max(used + more, Math.ceil(perRow * total * 1.05) + more));
  const iins = new Float64Array(size);
  iins.set(output.iins.subarray(0, used));
  const masks = new Uint32Array(size * words);
  masks.set(output.masks.subarray(0, used * words));
  return { iins, masks };
}

/** The first `length` entries: a view when that is most of the buffer, else a right-sized copy. */
export function fitted<T extends Float64Array | Uint32Array>(values: T, length: number): T {
  const view = values.subarray(0, length) as T;
  return values.length > length * 1.25 ? (view.slice() as T) : view;
}

export class ValueRowBuckets {
  private pool: Uint32Array;
  /** Next free key of each bucket's current block, and that block's end (both 0 before its first block). */
  private readonly at = new Int32Array(IIN_BUCKETS);
  private readonly end = new Int32Array(IIN_BUCKETS);
  /** Each bucket's first and last block, -1 for none; next[block]: the block after it in its bucket. */
  private readonly first = new Int32Array(IIN_BUCKETS).fill(-1);
  private readonly last = new Int32Array(IIN_BUCKETS).fill(-1);
  private next: Int32Array;
  private blocks = 0;

  /** `capacity`: the rows expected at most (more are taken, by growing the pool). */
  constructor(capacity: number) {
    // Every bucket may leave one block partly filled. Pages of the pool are only touched as keys are written.
    const blocks = Math.ceil(capacity / BLOCK) + IIN_BUCKETS;
    this.pool = new Uint32Array(blocks * BLOCK);
    this.next = new Int32Array(blocks).fill(-1);
  }

  /**
   * Adds rows [from, to) (code -1 or a negative IIN: no row). Returns `to`, or the first row that does not fit a
   * key (a code above MAX_BUCKETED_CODE, an IIN that is no integer below 2^40): it and the rows after it are not
   * added.
   */
  add(iins: Float64Array, codes: Int32Array, from: number, to: number): number {
    let pool = this.pool;
    const { at, end } = this;
    for (let r = from; r < to; r++) {
      const code = codes[r]!;
      const v = iins[r]!;
      if (code < 0 || v < 0) continue;
      if (code > MAX_BUCKETED_CODE || !(v < KEY_LIMIT)) return r;
      const b = (v * TO_BUCKET) | 0;
      const low = v - b * IIN_BUCKET_SCALE;
      if ((low | 0) !== low) return r;
      let p = at[b]!;
      if (p === end[b]) {
        p = this.open(b);
        pool = this.pool;
      }
      pool[p] = (low << CODE_BITS) | code;
      at[b] = p + 1;
    }
    return to;
  }

  /**
   * Adds one row whose IIN is an integer in [0, 10^12] and whose code is in [0, MAX_BUCKETED_CODE] (the caller
   * checked both: a text IIN parses to such a number). The page reader calls it as it parses each text IIN, so
   * the number never goes through an array of the row group's IINs.
   */
  addRow(v: number, code: number): void {
    const b = (v * TO_BUCKET) | 0;
    let p = this.at[b]!;
    if (p === this.end[b]) p = this.open(b);
    this.pool[p] = ((v - b * IIN_BUCKET_SCALE) << CODE_BITS) | code;
    this.at[b] = p + 1;
  }

  /** The distinct IINs added, ascending, their codes ignored (a set dataset's, added with code 0). */
  sweepIins(): Float64Array {
    const largest = this.largest();
    const keys = new Uint32Array(largest);
    const scratch = new BucketSortScratch(largest);
    const sorted = new Uint32Array(largest);
    const total = this.rows;
    let swept: SweptOutput = { iins: new Float64Array(0), masks: new Uint32Array(0) };
    let out = swept.iins;
    let n = 0;
    let seen = 0;
    for (let b = 0; b < IIN_BUCKETS; b++) {
      const length = this.gather(b, keys);
      if (length === 0) continue;
      const k = sortBucket(keys, 0, length, sorted, scratch, CODE_BITS);
      seen += k;
      // Its distinct IINs are counted only when the output has no room for all its keys.
      if (n + k > out.length) {
        const distinct = distinctIins(sorted, k);
        if (n + distinct > out.length) {
          swept = withRoom(swept, n, distinct, (n + distinct) / seen, total, 0);
          out = swept.iins;
        }
      }
      const base = b * IIN_BUCKET_SCALE;
      let last = -1;
      for (let i = 0; i < k; i++) {
        const bits = sorted[i]! >>> CODE_BITS;
        if (bits === last) continue;
        out[n++] = base + bits;
        last = bits;
      }
    }
    return fitted(out, n);
  }

  /** Every row added, as (IIN, code) rows written into the arrays from `offset` on; returns the count. */
  writeRows(iins: Float64Array, codes: Int32Array, offset: number): number {
    const keys = new Uint32Array(this.largest());
    let n = offset;
    for (let b = 0; b < IIN_BUCKETS; b++) {
      const length = this.gather(b, keys);
      const base = b * IIN_BUCKET_SCALE;
      for (let i = 0; i < length; i++) {
        const key = keys[i]!;
        iins[n] = base + (key >>> CODE_BITS);
        codes[n++] = key & CODE_MASK;
      }
    }
    return n - offset;
  }

  /** Rows added so far. */
  get rows(): number {
    let n = 0;
    for (let b = 0; b < IIN_BUCKETS; b++) n += this.lengthOf(b);
    return n;
  }

  /**
   * The rows as distinct IINs with their masks (`words` mask words each, codes in the first) and how many IINs
   * hold each of `labels` codes. The arrays may be longer than `distinct`.
   */
  sweep(labels: number, words: number): SweptRows {
    const largest = this.largest();
    const keys = new Uint32Array(largest);
    const scratch = new BucketSortScratch(largest);
    const sorted = new Uint32Array(largest);
    const counts = new Uint32Array(Math.max(labels, MAX_BUCKETED_CODE + 1));
    const total = this.rows;
    let swept: SweptOutput = { iins: new Float64Array(0), masks: new Uint32Array(0) };
    let out = swept.iins;
    let masks = swept.masks;
    let at = -1;
    let seen = 0;
    for (let b = 0; b < IIN_BUCKETS; b++) {
      const length = this.gather(b, keys);
      if (length === 0) continue;
      const n = sortBucket(keys, 0, length, sorted, scratch, CODE_BITS);
      // The output is sized by the distinct IINs per row seen so far, this bucket's included; those are counted
      // only when the output has no room for all its keys (a pass over every bucket less).
      seen += n;
      if (at + 1 + n > out.length) {
        const distinct = distinctIins(sorted, n);
        if (at + 1 + distinct > out.length) {
          swept = withRoom(swept, at + 1, distinct, (at + 1 + distinct) / seen, total, words);
          out = swept.iins;
          masks = swept.masks;
        }
      }
      const base = b * IIN_BUCKET_SCALE;
      // No branch on the data: whether a key starts a new IIN is a coin flip (two or three rows an IIN).
      let last = -1;
      let mask = 0;
      for (let i = 0; i < n; i++) {
        const key = sorted[i]!;
        const bits = key >>> CODE_BITS;
        const code = key & CODE_MASK;
        const isNew = +(bits !== last);
        at += isNew;
        const kept = mask & (isNew - 1); // the IIN's bits so far, 0 for a new one
        counts[code]! += ((kept >>> code) & 1) ^ 1;
        mask = kept | (1 << code);
        out[at] = base + bits;
        masks[at * words] = mask;
        last = bits;
      }
    }
    return { iins: out, masks, distinct: at + 1, counts: counts.subarray(0, labels) };
  }

  /** Bucket b's keys copied into `keys` (long enough for the largest bucket); returns how many. */
  private gather(b: number, keys: Uint32Array): number {
    let length = 0;
    for (let block = this.first[b]!; block >= 0; block = this.next[block]!) {
      const start = block << BLOCK_BITS;
      const stop = block === this.last[b] ? this.at[b]! : start + BLOCK;
      keys.set(this.pool.subarray(start, stop), length);
      length += stop - start;
    }
    return length;
  }

  private largest(): number {
    let largest = 0;
    for (let b = 0; b < IIN_BUCKETS; b++) largest = Math.max(largest, this.lengthOf(b));
    return largest;
  }

  private lengthOf(b: number): number {
    if (this.last[b]! < 0) return 0;
    let full = 0;
    for (let block = this.first[b]!; block !== this.last[b]; block = this.next[block]!) full++;
    return full * BLOCK + this.at[b]! - (this.last[b]! << BLOCK_BITS);
  }

  /** A new block for bucket b (the pool grows if the capacity was exceeded); returns its first key's index. */
  private open(b: number): number {
    const block = this.blocks++;
    if (block >= this.next.length) {
      const blocks = Math.ceil(this.next.length * 1.5);
      const pool = new Uint32Array(blocks * BLOCK);
      pool.set(this.pool);
      this.pool = pool;
      const next = new Int32Array(blocks).fill(-1);
      next.set(this.next);
      this.next = next;
    }
    if (this.last[b]! >= 0) this.next[this.last[b]!] = block;
    else this.first[b] = block;
    this.last[b] = block;
    const start = block << BLOCK_BITS;
    this.end[b] = start + BLOCK;
    return start;
  }
}

/** Distinct IINs among sorted keys[0, n) (runs of one IIN's rows are adjacent). */
function distinctIins(keys: Uint32Array, n: number): number {
  let distinct = 0;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const bits = keys[i]! >>> CODE_BITS;
    distinct += +(bits !== last);
    last = bits;
  }
  return distinct;
}
