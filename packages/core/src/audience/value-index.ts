// Value datasets (devices, push streams, products) as one sorted IIN vector plus a bit mask per IIN of the values
// it holds. "Keep IINs having ANY of these values" is then one merge with a mask test, instead of a union of
// per-value vectors followed by an intersection: the warm pipeline touches each dataset once.
import type { IinVector } from './iin-vector';
import { buildValueIndex } from './value-index-build';
import { fitted } from './value-row-buckets';

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

/** The union of several sorted vectors with, per IIN, a bit for each vector it came from (label = position). */
export function indexVectors(vectors: readonly IinVector[]): IndexedValues {
  const labels = vectors.map((_, k) => String(k));
  if (vectors.length <= 32) {
    const merged = mergeVectors(vectors, labels);
    if (merged) return merged;
  }
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
  return buildValueIndex(rowIins, rowCodes, labels);
}

/**
 * Up to 32 sorted unique vectors merged head by head (a few lists: a scan of the heads beats a heap), each IIN's
 * mask gathering the vectors it is in. Undefined when a vector turns out not to be strictly ascending.
 */
function mergeVectors(vectors: readonly IinVector[], labels: string[]): IndexedValues | undefined {
  const k = vectors.length;
  let total = 0;
  for (const v of vectors) total += v.length;
  const out = new Float64Array(total);
  const masks = new Uint32Array(total);
  const pos = new Int32Array(k);
  // Each vector's current value, +Infinity once it is used up.
  const head = Float64Array.from(vectors, (v) => (v.length > 0 ? v[0]! : Number.POSITIVE_INFINITY));
  let n = 0;
  for (;;) {
    let x = head[0] ?? Number.POSITIVE_INFINITY;
    for (let v = 1; v < k; v++) x = Math.min(x, head[v]!);
    if (!(x < Number.POSITIVE_INFINITY)) {
      // Done, unless a vector still holds values no head could take (NaN, +Infinity): the generic path has them.
      for (let v = 0; v < k; v++) if (pos[v]! < vectors[v]!.length) return undefined;
      break;
    }
    let mask = 0;
    for (let v = 0; v < k; v++) {
      if (head[v] !== x) continue;
      mask |= 1 << v;
      const vector = vectors[v]!;
      const p = ++pos[v]!;
      const next = p < vector.length ? vector[p]! : Number.POSITIVE_INFINITY;
      if (!(next > x)) return undefined; // not strictly ascending
      head[v] = next;
    }
    out[n] = x;
    masks[n++] = mask;
  }
  return {
    iins: fitted(out, n),
    index: { labels, words: 1, masks: fitted(masks, n), counts: vectors.map((v) => v.length) },
  };
}
