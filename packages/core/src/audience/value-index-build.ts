// Building a value index (value-index.ts) from (IIN, value code) rows: in one pass when the rows come in IIN order
// (sorted exports, combined row group by row group while a file decodes), else bucket-sorted with the codes
// packed into the sort keys.
import { BucketSortScratch, sortBucket } from './iin-buckets';
import type { IndexedValues } from './value-index';
import { fitted, ValueRowBuckets, withRoom } from './value-row-buckets';

/**
 * Builds the index from rows (iin, code); rows with code -1 ("no value") or a negative IIN (not an IIN) are
 * ignored. Rows in IIN order (a sorted export) are combined in one pass; others are bucket-sorted with their
 * codes packed into the sort keys. (Decoding a file goes through ValueIndexBuilder, which ends here only when a
 * file out of order has a code or an IIN its buckets cannot hold.)
 */
export function buildValueIndex(
  rowIins: Float64Array,
  rowCodes: Int32Array,
  labels: string[],
): IndexedValues {
  const distinct = orderedDistinct(rowIins, rowCodes);
  if (distinct >= 0) return combineOrderedRows(rowIins, rowCodes, labels, distinct);
  const codeBits = labels.length <= 1 ? 0 : 32 - Math.clz32(labels.length - 1);
  const lowBits = Math.min(IN_BUCKET_BITS, 32 - codeBits);
  if (codeBits <= MAX_CODE_BITS) {
    // Valued rows per bucket (by the IIN's high bits); any IIN outside [0, 2^40) or fractional: generic sort.
    const toBucket = 2 ** -lowBits;
    const starts = new Uint32Array((1 << (KEY_BITS - lowBits)) + 1);
    let inRange = true;
    for (let r = 0; r < rowIins.length; r++) {
      const v = rowIins[r]!;
      if (rowCodes[r]! < 0 || v < 0) continue;
      if (v < KEY_LIMIT && Math.floor(v) === v) starts[((v * toBucket) | 0) + 1]!++;
      else inRange = false;
    }
    if (inRange) return indexBucketed(rowIins, rowCodes, labels, starts, codeBits, lowBits);
  }
  const byIin = Uint32Array.from({ length: rowIins.length }, (_, r) => r).sort(
    (x, y) => rowIins[x]! - rowIins[y]!,
  );
  const sortedIins = Float64Array.from(byIin, (r) => rowIins[r]!);
  const sortedCodes = Int32Array.from(byIin, (r) => rowCodes[r]!);
  return combineOrderedRows(sortedIins, sortedCodes, labels, orderedDistinct(sortedIins, sortedCodes));
}

/** Distinct IINs among the rows with a value and an IIN, or -1 when those rows are not in IIN order. */
function orderedDistinct(iins: Float64Array, codes: Int32Array): number {
  let last = Number.NEGATIVE_INFINITY;
  let distinct = 0;
  for (let r = 0; r < iins.length; r++) {
    const v = iins[r]!;
    if (codes[r]! < 0 || v < 0 || v === last) continue;
    if (v < last) return -1;
    distinct++;
    last = v;
  }
  return distinct;
}

/**
 * Builds a value index from rows arriving chunk by chunk, for a file of at most `capacity` rows. While the rows
 * come in IIN order (sorted exports) and codes stay below 32, each chunk is combined at once into IINs and one
 * mask word each: no buffer of all rows, no second pass. Out of order, what was combined and every row after it
 * go into IIN buckets as they come (ValueRowBuckets, 4 bytes a row), sorted bucket by bucket at the end; a code
 * above 15 or an IIN beyond 40 bits (or a 33rd label while in order) sends them to a row buffer instead, for
 * buildValueIndex to sort at the end.
 */
export class ValueIndexBuilder {
  private readonly capacity: number;
  private out: Float64Array;
  private masks: Uint32Array;
  private counts = new Uint32Array(32);
  /** Index of the last IIN in `out`, -1 before the first. */
  private n = -1;
  private last = -1;
  private mask = 0;
  /** Rows by IIN bucket once the order broke; undefined while combining. */
  private buckets: ValueRowBuckets | undefined;
  /** Buffered rows when the buckets cannot hold them (a code above 15, an IIN beyond 40 bits). */
  private rows: { iins: Float64Array; codes: Int32Array; length: number } | undefined;

  /** Rows added so far (to estimate the final IIN count from the first chunk). */
  private seen = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.out = new Float64Array(0);
    this.masks = new Uint32Array(0);
  }

  /** Adds rows [0, length) of a chunk; code -1 or a negative IIN: the row is skipped. */
  add(iins: Float64Array, codes: Int32Array, length: number): void {
    if (this.buckets) {
      this.addToBuckets(iins, codes, 0, length);
      return;
    }
    if (this.rows) {
      this.buffer(iins, codes, 0, length);
      return;
    }
    this.reserve(length);
    if (!this.combine(iins, codes, length)) this.combineUntilDisorder(iins, codes, length);
    this.seen += length;
  }

  /**
   * Room for `length` more IINs (the loops do not check). Sized once from the first chunk's IINs per row, plus
   * one chunk of headroom, so the result usually fits within 25% and is returned without a copy.
   */
  private reserve(length: number): void {
    const need = this.n + 1 + length;
    if (need <= this.out.length) return;
    let size = need;
    if (this.seen > 0) {
      const expected = Math.ceil(((this.n + 1) / this.seen) * this.capacity * 1.02);
      size = Math.max(need, Math.min(this.capacity, expected + length), Math.ceil(this.out.length * 1.25));
    }
    const out = new Float64Array(size);
    const masks = new Uint32Array(size);
    out.set(this.out.subarray(0, this.n + 1));
    masks.set(this.masks.subarray(0, this.n + 1));
    this.out = out;
    this.masks = masks;
  }

  /**
   * The fast path: no branch on the data (an IIN's row count and values are random, so branches on them are
   * mispredicted about half the time). The order and the codes are checked once at the end; false (with the
   * state as it was) when the chunk needs the checked path.
   */
  private combine(iins: Float64Array, codes: Int32Array, length: number): boolean {
    const { out, masks, counts } = this;
    let { n, last, mask } = this;
    const countsBefore = counts.slice();
    let minStep = 1;
    let codeBits = 0;
    for (let r = 0; r < length; r++) {
      const code = codes[r]!;
      const iin = iins[r]!;
      if (code < 0 || iin < 0) continue;
      const step = iin - last;
      minStep = Math.min(minStep, step);
      codeBits |= code;
      const isNew = +(step > 0);
      n += isNew;
      const kept = mask & (isNew - 1); // the IIN's bits so far, 0 for a new one
      counts[code]! += ((kept >>> code) & 1) ^ 1;
      mask = kept | (1 << code);
      out[n] = iin;
      masks[n] = mask;
      last = iin;
    }
    if (minStep < 0 || codeBits > 31) {
      // Undo: entry this.n may have been overwritten (its mask lives in this.mask until the IIN ends).
      counts.set(countsBefore);
      if (this.n >= 0) out[this.n] = this.last;
      return false;
    }
    this.n = n;
    this.last = last;
    this.mask = mask;
    return true;
  }

  /** Combines rows until one is out of order or has a code above 31, then buffers from there on. */
  private combineUntilDisorder(iins: Float64Array, codes: Int32Array, length: number): void {
    const { out, masks, counts } = this;
    let { n, last, mask } = this;
    for (let r = 0; r < length; r++) {
      const code = codes[r]!;
      const iin = iins[r]!;
      if (code < 0 || iin < 0) continue;
      if (iin < last || code > 31) {
        this.n = n;
        this.mask = mask;
        this.leaveOrder(iins, codes, r, length);
        return;
      }
      if (iin !== last) {
        if (n >= 0) masks[n] = mask;
        out[++n] = iin;
        last = iin;
        mask = 0;
      }
      const bit = 1 << code;
      if ((mask & bit) === 0) {
        mask |= bit;
        counts[code]!++;
      }
    }
    this.n = n;
    this.last = last;
    this.mask = mask;
  }

  /**
   * The buckets, once the rows came in no order (and every row so far fitted them): the page reader then adds rows
   * with codes up to MAX_BUCKETED_CODE to them itself.
   */
  get bucketed(): ValueRowBuckets | undefined {
    return this.buckets;
  }

  finish(labels: string[]): IndexedValues {
    if (this.buckets) {
      const words = Math.max(1, Math.ceil(labels.length / 32));
      const swept = this.buckets.sweep(labels.length, words);
      return {
        iins: fitted(swept.iins, swept.distinct),
        index: {
          labels,
          words,
          masks: fitted(swept.masks, swept.distinct * words),
          counts: Array.from(swept.counts),
        },
      };
    }
    // More than 32 labels (a dictionary may list values no row uses) need wider masks: the buffered path builds them.
    if (!this.rows && labels.length > 32) this.expand();
    if (this.rows) {
      const { iins, codes, length } = this.rows;
      return buildValueIndex(iins.subarray(0, length), codes.subarray(0, length), labels);
    }
    const distinct = this.n + 1;
    if (distinct > 0) this.masks[this.n] = this.mask;
    return {
      iins: fitted(this.out, distinct),
      index: {
        labels,
        words: 1,
        masks: fitted(this.masks, distinct),
        counts: Array.from(this.counts.subarray(0, labels.length)),
      },
    };
  }

  /**
   * The rows stopped coming in IIN order at row `from` of this chunk: what was combined and the rest of the chunk
   * go to the IIN buckets (ValueRowBuckets), or to the row buffer when a code or an IIN does not fit them.
   */
  private leaveOrder(iins: Float64Array, codes: Int32Array, from: number, to: number): void {
    const combined = this.combinedRows(this.seen + from);
    this.out = new Float64Array(0);
    this.masks = new Uint32Array(0);
    const buckets = new ValueRowBuckets(this.capacity);
    if (buckets.add(combined.iins, combined.codes, 0, combined.length) < combined.length) {
      this.rows = { iins: new Float64Array(this.capacity), codes: new Int32Array(this.capacity), length: 0 };
      this.buffer(combined.iins, combined.codes, 0, combined.length);
      this.buffer(iins, codes, from, to);
      return;
    }
    this.buckets = buckets;
    this.addToBuckets(iins, codes, from, to);
  }

  private addToBuckets(iins: Float64Array, codes: Int32Array, from: number, to: number): void {
    const stop = this.buckets!.add(iins, codes, from, to);
    if (stop === to) return;
    // A row the buckets cannot hold: everything goes to the row buffer from here on.
    const rows = { iins: new Float64Array(this.capacity), codes: new Int32Array(this.capacity), length: 0 };
    rows.length = this.buckets!.writeRows(rows.iins, rows.codes, 0);
    this.buckets = undefined;
    this.rows = rows;
    this.buffer(iins, codes, stop, to);
  }

  /** Switches to buffering: the combined IINs become one row per (IIN, value) again. */
  private expand(): void {
    const rows = this.combinedRows(this.capacity);
    this.rows = rows;
    this.out = new Float64Array(0);
    this.masks = new Uint32Array(0);
  }

  /** The combined IINs as one row per (IIN, value), in arrays of `size` (at least the rows added so far). */
  private combinedRows(size: number): { iins: Float64Array; codes: Int32Array; length: number } {
    const iins = new Float64Array(size);
    const codes = new Int32Array(size);
    let length = 0;
    for (let i = 0; i <= this.n; i++) {
      let m = i === this.n ? this.mask : this.masks[i]!;
      while (m !== 0) {
        const low = m & -m;
        iins[length] = this.out[i]!;
        codes[length++] = 31 - Math.clz32(low);
        m ^= low;
      }
    }
    return { iins, codes, length };
  }

  private buffer(iins: Float64Array, codes: Int32Array, from: number, to: number): void {
    const rows = this.rows!;
    rows.iins.set(iins.subarray(from, to), rows.length);
    rows.codes.set(codes.subarray(from, to), rows.length);
    rows.length += to - from;
  }
}

/** Rows in IIN order -> distinct IINs and masks, in one pass (`distinct` counted by orderedDistinct). */
function combineOrderedRows(
  iins: Float64Array,
  codes: Int32Array,
  labels: string[],
  distinct: number,
): IndexedValues {
  const words = Math.max(1, Math.ceil(labels.length / 32));
  const out = new Float64Array(distinct);
  const masks = new Uint32Array(distinct * words);
  const counts = new Uint32Array(labels.length);
  let n = -1;
  let last = -1;
  if (words === 1) {
    // One mask word: an IIN's bits are gathered in a local and stored once (rows of one IIN are adjacent).
    let mask = 0;
    for (let r = 0; r < iins.length; r++) {
      const code = codes[r]!;
      const iin = iins[r]!;
      if (code < 0 || iin < 0) continue;
      if (iin !== last) {
        if (n >= 0) masks[n] = mask;
        out[++n] = iin;
        last = iin;
        mask = 0;
      }
      const bit = 1 << code;
      if ((mask & bit) === 0) {
        mask |= bit;
        counts[code]!++;
      }
    }
    if (n >= 0) masks[n] = mask;
  } else {
    for (let r = 0; r < iins.length; r++) {
      const code = codes[r]!;
      const iin = iins[r]!;
      if (code < 0 || iin < 0) continue;
      if (iin !== last) {
        out[++n] = iin;
        last = iin;
      }
      const at = n * words + (code >>> 5);
      const bit = 1 << (code & 31);
      if ((masks[at]! & bit) === 0) {
        masks[at]! |= bit;
        counts[code]!++;
      }
    }
  }
  return { iins: out, index: { labels, words, masks, counts: Array.from(counts) } };
}

/** Sort keys are 40-bit IINs: every 12-digit IIN is below 10^12 < 2^40. */
const KEY_BITS = 40;
const KEY_LIMIT = 2 ** KEY_BITS;
/** IIN bits sorted inside a bucket (sortBucket's two 14-bit radix passes); fewer when the code needs more than 4 bits. */
const IN_BUCKET_BITS = 28;
/** Up to 4096 labels pack into the keys (2^20 buckets); more take the generic sort. */
const MAX_CODE_BITS = 12;

/**
 * Rows scattered into buckets by the IIN's high bits, as 32-bit keys (low IIN bits, then the code), each bucket
 * radix-sorted while it sits in cache, then swept into IINs and masks. Three passes over the rows in memory
 * (count, scatter, sweep) instead of the three scatter passes of 12-byte rows a plain LSD sort makes.
 */
function indexBucketed(
  rowIins: Float64Array,
  rowCodes: Int32Array,
  labels: string[],
  starts: Uint32Array,
  codeBits: number,
  lowBits: number,
): IndexedValues {
  const buckets = starts.length - 1;
  for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;
  const valued = starts[buckets]!;
  const scale = 2 ** lowBits;
  const toBucket = 2 ** -lowBits;
  const keys = new Uint32Array(valued);
  const fill = starts.slice(0, buckets);
  let largest = 0;
  for (let r = 0; r < rowIins.length; r++) {
    const code = rowCodes[r]!;
    const v = rowIins[r]!;
    if (code < 0 || v < 0) continue;
    const b = (v * toBucket) | 0;
    keys[fill[b]!++] = ((v - b * scale) << codeBits) | code;
  }
  for (let b = 0; b < buckets; b++) largest = Math.max(largest, starts[b + 1]! - starts[b]!);
  // Each bucket sorted by its IIN bits (codes ride along below them) and swept into IINs and masks while it sits
  // in cache. The output grows by the IINs-per-row seen so far: sized for the whole, it would be 2-3x too big.
  const scratch = new BucketSortScratch(largest);
  const sorted = new Uint32Array(largest);
  const words = Math.max(1, Math.ceil(labels.length / 32));
  let out: Float64Array = new Float64Array(0);
  let masks: Uint32Array = new Uint32Array(0);
  const counts = new Uint32Array(labels.length);
  const codeMask = (1 << codeBits) - 1;
  let at = -1;
  for (let b = 0; b < buckets; b++) {
    const s = starts[b]!;
    const e = starts[b + 1]!;
    if (e === s) continue;
    const n = sortBucket(keys, s, e, sorted, scratch, codeBits);
    if (at + 1 + n > out.length) {
      const perRow = s > 0 ? (at + 1) / s : 1;
      ({ iins: out, masks } = withRoom({ iins: out, masks }, at + 1, n, perRow, valued, words));
    }
    const base = b * scale;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const k = sorted[i]!;
      const iinBits = k >>> codeBits;
      if (iinBits !== last) {
        out[++at] = base + iinBits;
        last = iinBits;
      }
      const code = k & codeMask;
      const word = at * words + (code >>> 5);
      const bit = 1 << (code & 31);
      if ((masks[word]! & bit) === 0) {
        masks[word]! |= bit;
        counts[code]!++;
      }
    }
  }
  const distinct = at + 1;
  return {
    iins: fitted(out, distinct),
    index: { labels, words, masks: fitted(masks, distinct * words), counts: Array.from(counts) },
  };
}
