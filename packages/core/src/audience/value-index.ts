// Value datasets (devices, push streams, products) as one sorted IIN vector plus a bit mask per IIN of the values
// it holds. "Keep IINs having ANY of these values" is then one merge with a mask test, instead of a union of
// per-value vectors followed by an intersection: the warm pipeline touches each dataset once.
import type { IinVector } from './iin-vector';

export interface ValueIndex {
  /** Value labels; a label's position is its bit. */
  labels: string[];
  /** 32-bit mask words per IIN (ceil(labels / 32)). */
  words: number;
  /** masks[i * words + w]: bits of the values IIN i holds. */
  masks: Uint32Array;
  /** Distinct IINs holding each label. */
  counts: number[];
}

export interface IndexedValues {
  iins: IinVector;
  index: ValueIndex;
}

/**
 * Builds the index from rows (iin, code), code -1 meaning "no value" (row ignored). Rows in IIN order (a sorted
 * export) are combined in one pass; others are radix-sorted with their codes first.
 */
export function buildValueIndex(
  rowIins: Float64Array,
  rowCodes: Int32Array,
  labels: string[],
): IndexedValues {
  let iins = rowIins;
  let codes = rowCodes;
  let distinct = distinctValuedIins(iins, codes);
  if (distinct < 0) {
    ({ values: iins, payload: codes } = radixSortWithPayload(iins, codes));
    distinct = distinctValuedIins(iins, codes);
  }
  const words = Math.max(1, Math.ceil(labels.length / 32));
  let last = -1;
  const out = new Float64Array(distinct);
  const masks = new Uint32Array(distinct * words);
  const counts = new Uint32Array(labels.length);
  let n = -1;
  last = -1;
  for (let r = 0; r < iins.length; r++) {
    const code = codes[r]!;
    if (code < 0) continue;
    const iin = iins[r]!;
    if (iin !== last) {
      n++;
      out[n] = iin;
      last = iin;
    }
    const at = n * words + (code >>> 5);
    const bit = 1 << (code & 31);
    if ((masks[at]! & bit) === 0) {
      masks[at]! |= bit;
      counts[code]!++;
    }
  }
  return { iins: out, index: { labels, words, masks, counts: Array.from(counts) } };
}

/** Mask of the wanted labels: exact match first, else ignoring case and surrounding spaces. */
export function maskForValues(
  index: ValueIndex,
  wanted: readonly string[],
): { mask: Uint32Array; unknown: string[] } {
  const mask = new Uint32Array(index.words);
  const unknown: string[] = [];
  for (const value of wanted) {
    let codes = index.labels.flatMap((label, code) => (label === value ? [code] : []));
    if (codes.length === 0) {
      const key = value.trim().toLowerCase();
      codes = index.labels.flatMap((label, code) => (label.trim().toLowerCase() === key ? [code] : []));
    }
    if (codes.length === 0) unknown.push(value);
    for (const code of codes) mask[code >>> 5]! |= 1 << (code & 31);
  }
  return { mask, unknown };
}

/**
 * current ∩ {IINs holding any value in mask}: one merge, galloping through the dataset when current is small.
 * With `inPlace` the result is written over `current` and returned as a view of it.
 */
export function keepHolders(
  current: IinVector,
  values: IndexedValues,
  mask: Uint32Array,
  inPlace = false,
): IinVector {
  const { iins } = values;
  const { masks, words } = values.index;
  // In place: entry n is written only after entry i >= n was read.
  const out = inPlace ? current : new Float64Array(current.length);
  let n = 0;
  let j = 0;
  const m0 = mask[0]!;
  const gallop = current.length * 8 < iins.length;
  for (let i = 0; i < current.length && j < iins.length; i++) {
    const x = current[i]!;
    if (gallop) {
      let step = 1;
      let hi = j;
      while (hi < iins.length && iins[hi]! < x) {
        j = hi + 1;
        hi += step;
        step *= 2;
      }
      if (hi > iins.length) hi = iins.length;
      while (j < hi) {
        const mid = (j + hi) >>> 1;
        if (iins[mid]! < x) j = mid + 1;
        else hi = mid;
      }
    } else {
      while (j < iins.length && iins[j]! < x) j++;
    }
    if (j < iins.length && iins[j] === x) {
      let hit = (masks[j * words]! & m0) !== 0;
      for (let w = 1; !hit && w < words; w++) hit = (masks[j * words + w]! & mask[w]!) !== 0;
      if (hit) out[n++] = x;
      j++;
    }
  }
  if (inPlace) return out.subarray(0, n);
  return n === out.length ? out : out.slice(0, n);
}

/** Every IIN holding any value in mask (product-based selection). */
export function holdersOf(values: IndexedValues, mask: Uint32Array): IinVector {
  const { iins } = values;
  const { masks, words } = values.index;
  const out = new Float64Array(iins.length);
  let n = 0;
  for (let j = 0; j < iins.length; j++) {
    let hit = false;
    for (let w = 0; !hit && w < words; w++) hit = (masks[j * words + w]! & mask[w]!) !== 0;
    if (hit) out[n++] = iins[j]!;
  }
  return out.slice(0, n);
}

/** The IINs holding one label, as a sorted vector (for callers that want per-value vectors). */
export function holdersOfLabel(values: IndexedValues, label: string): IinVector {
  const { mask } = maskForValues(values.index, [label]);
  return holdersOf(values, mask);
}

/** Distinct IINs among rows with a value, or -1 when the rows are not in IIN order (one pass for both). */
function distinctValuedIins(iins: Float64Array, codes: Int32Array): number {
  let distinct = 0;
  let last = -1;
  let previous = Number.NEGATIVE_INFINITY;
  for (let r = 0; r < iins.length; r++) {
    const v = iins[r]!;
    if (v < previous) return -1;
    previous = v;
    if (codes[r]! >= 0 && v !== last) {
      distinct++;
      last = v;
    }
  }
  return distinct;
}

/** LSD radix sort of integers in [0, 2^40) carrying an int32 payload (same digits as sortUnique's). */
export function radixSortWithPayload(
  values: Float64Array,
  payload: Int32Array,
): { values: Float64Array; payload: Int32Array } {
  const n = values.length;
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  const pl = new Int32Array(n);
  const h0 = new Uint32Array(1 << 14);
  const h1 = new Uint32Array(1 << 13);
  const h2 = new Uint32Array(1 << 13);
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
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
  const pl2 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const p = h0[l & 16383]!++;
    lo2[p] = l;
    hi2[p] = hi[i]!;
    pl2[p] = payload[i]!;
  }
  for (let i = 0; i < n; i++) {
    const l = lo2[i]!;
    const p = h1[(l >>> 14) & 8191]!++;
    lo[p] = l;
    hi[p] = hi2[i]!;
    pl[p] = pl2[i]!;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    const p = h2[((l >>> 27) | (h << 5)) & 8191]!++;
    out[p] = h * 4294967296 + l;
    pl2[p] = pl[i]!;
  }
  return { values: out, payload: pl2 };
}

function toOffsets(histogram: Uint32Array): void {
  let sum = 0;
  for (let d = 0; d < histogram.length; d++) {
    const c = histogram[d]!;
    histogram[d] = sum;
    sum += c;
  }
}

/** What removeHolders found: per label, audience IINs holding it, and those holding it and no other label. */
export interface RemovalCounts {
  matched: Uint32Array;
  onlyHere: Uint32Array;
}

/**
 * current \ {IINs in the index}, counting per label how many were found and how many only there (the
 * per-blacklist breakdown). One merge; with `inPlace` the result overwrites `current` and is a view of it.
 */
export function removeHolders(
  current: IinVector,
  values: IndexedValues,
  inPlace = false,
): { kept: IinVector; counts: RemovalCounts } {
  const { iins } = values;
  const { masks, words, labels } = values.index;
  const matched = new Uint32Array(labels.length);
  const onlyHere = new Uint32Array(labels.length);
  const out = inPlace ? current : new Float64Array(current.length);
  let n = 0;
  let j = 0;
  for (let i = 0; i < current.length; i++) {
    const x = current[i]!;
    while (j < iins.length && iins[j]! < x) j++;
    if (j < iins.length && iins[j] === x) {
      let bits = 0;
      let single = -1;
      for (let w = 0; w < words; w++) {
        let m = masks[j * words + w]!;
        while (m !== 0) {
          const low = m & -m;
          const code = w * 32 + (31 - Math.clz32(low));
          matched[code]!++;
          single = code;
          bits++;
          m ^= low;
        }
      }
      if (bits === 1) onlyHere[single]!++;
      j++;
    } else out[n++] = x;
  }
  const kept = inPlace ? out.subarray(0, n) : out.slice(0, n);
  return { kept, counts: { matched, onlyHere } };
}

/** The union of several sorted vectors with, per IIN, a bit for each vector it came from (label = position). */
export function indexVectors(vectors: readonly IinVector[]): IndexedValues {
  let total = 0;
  for (const v of vectors) total += v.length;
  const rowIins = new Float64Array(total);
  const rowCodes = new Int32Array(total);
  let at = 0;
  vectors.forEach((v, code) => {
    rowIins.set(v, at);
    rowCodes.fill(code, at, at + v.length);
    at += v.length;
  });
  return buildValueIndex(
    rowIins,
    rowCodes,
    vectors.map((_, k) => String(k)),
  );
}
