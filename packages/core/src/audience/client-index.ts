// One merged index over every loaded dataset: each client IIN once (the union of all dataset vectors), with a bit
// mask per IIN of what the datasets say about it (a bit per blacklist, a bit per device / push stream / product
// value, a bit for MAU). A warm pipeline run is then one merge of its sorted input against one vector plus mask
// tests, instead of a cursor per dataset. Built from the datasets' own vectors, so it is exactly as correct as they
// are; it is rebuilt whenever any of those vectors is replaced (a dataset file changed).

import { IIN_BUCKET_SCALE, IIN_BUCKETS, scatterIntoBuckets } from './iin-buckets';
import { EMPTY_IIN_VECTOR, type IinVector, unionAll } from './iin-vector';
import { sharedArray } from './shared-array';
import type { ValueIndex } from './value-index';

/** Where one dataset's bits sit in the merged masks. */
export interface ClientIndexSlot {
  /** First bit (bit b lives in word b >>> 5, at position b & 31). */
  bit: number;
  /** Bits used: 1 for a plain set (blacklist, MAU), the label count for a value dataset. */
  width: number;
  /** The value index the bits came from (undefined for a plain set): a slot is used only for that same index. */
  values: ValueIndex | undefined;
}

export interface ClientIndex {
  /** Sorted unique union of the datasets' IINs. */
  iins: IinVector;
  /** 32-bit words per IIN. */
  words: number;
  /** masks[i * words + w]: the bits of IIN i. */
  masks: Uint32Array;
  /** Each included dataset vector (by identity) and its bits. */
  slots: Map<IinVector, ClientIndexSlot>;
  /** Low 28 bits of each IIN (iin-buckets.ts), and where each bucket (the bits above them) starts: the bucketed
   * pass merges an input bucket against its index bucket in 32-bit integers. Undefined when some IIN is not
   * an integer below 2^40. */
  lows: Uint32Array | undefined;
  bucketStarts: Uint32Array | undefined;
  bytes: number;
}

/** A dataset to include: its sorted unique IINs and, for value datasets, the values each holds. */
export interface ClientIndexSource {
  iins: IinVector;
  values?: ValueIndex | undefined;
}

/** Builds the merged index of the given datasets (duplicates by vector identity are included once). */
export function buildClientIndex(sources: readonly ClientIndexSource[]): ClientIndex {
  const unique: ClientIndexSource[] = [];
  const seen = new Set<IinVector>();
  for (const s of sources) {
    if (seen.has(s.iins)) continue;
    seen.add(s.iins);
    unique.push(s);
  }
  // Bit layout: a value dataset's labels never straddle a word (so its one source word shifts into place);
  // one with more than 32 labels takes whole words of its own.
  const slots = new Map<IinVector, ClientIndexSlot>();
  let next = 0;
  for (const s of unique) {
    const width = s.values ? s.values.labels.length : 1;
    if (width > 32 || (next & 31) + width > 32) next = (next + 31) & ~31;
    slots.set(s.iins, { bit: next, width, values: s.values });
    next += Math.max(width, 0);
  }
  const words = Math.max(1, Math.ceil(next / 32));
  // Pairwise linear merges: cheaper here than one k-way heap merge over ~8 vectors of ~10M.
  let iins: IinVector = EMPTY_IIN_VECTOR;
  for (const s of unique) iins = iins.length === 0 ? s.iins : unionAll([iins, s.iins]);
  // Shared buffers: a worker can run part of a pass over the index without a copy (bucket-merge.ts).
  const masks = sharedArray(Uint32Array, iins.length * words);
  for (const s of unique) {
    const slot = slots.get(s.iins)!;
    if (slot.width === 0) continue;
    fillSlot(iins, masks, words, s, slot);
  }
  const { lows, bucketStarts } = bucketsOf(iins) ?? {};
  const bytes = iins.byteLength + masks.byteLength + (lows?.byteLength ?? 0);
  return { iins, words, masks, slots, lows, bucketStarts, bytes };
}

/**
 * The low bits and bucket starts of a sorted vector, or undefined when a value is not an integer in [0, 2^40):
 * the vector scattered into the IIN buckets, which keeps its order within each bucket.
 */
function bucketsOf(iins: IinVector): { lows: Uint32Array; bucketStarts: Uint32Array } | undefined {
  const bucketed = scatterIntoBuckets(iins, true);
  return bucketed && { lows: bucketed.keys, bucketStarts: bucketed.starts };
}

/** The sorted IINs back from their low bits and bucket starts (the inverse of bucketsOf). */
export function iinsFromBuckets(lows: Uint32Array, bucketStarts: Uint32Array): IinVector {
  const iins = new Float64Array(lows.length);
  for (let b = 0; b < IIN_BUCKETS; b++) {
    const base = b * IIN_BUCKET_SCALE;
    for (let i = bucketStarts[b]!; i < bucketStarts[b + 1]!; i++) iins[i] = base + lows[i]!;
  }
  return iins;
}

/** ORs one dataset's bits into the masks: a merge of its vector (a subset of the union) against the union. */
function fillSlot(
  union: IinVector,
  masks: Uint32Array,
  words: number,
  source: ClientIndexSource,
  slot: ClientIndexSlot,
): void {
  const v = source.iins;
  const word = slot.bit >>> 5;
  const shift = slot.bit & 31;
  let j = 0;
  if (!source.values) {
    const bit = 1 << shift;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      while (union[j]! < x) j++;
      masks[j * words + word]! |= bit;
    }
    return;
  }
  const src = source.values.masks;
  const srcWords = source.values.words;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    while (union[j]! < x) j++;
    const at = j * words + word;
    if (slot.width > 32) {
      for (let w = 0; w < srcWords; w++) masks[at + w]! |= src[i * srcWords + w]!;
    } else masks[at]! |= src[i * srcWords]! << shift;
  }
}

/** A step's mask in the merged layout: the slot's bits that are set in `local` (a mask over its own labels). */
export function slotMask(index: ClientIndex, slot: ClientIndexSlot, local?: Uint32Array): Uint32Array {
  const mask = new Uint32Array(index.words);
  for (let b = 0; b < slot.width; b++) {
    if (local && ((local[b >>> 5]! >>> (b & 31)) & 1) === 0) continue;
    const at = slot.bit + b;
    mask[at >>> 5]! |= 1 << (at & 31);
  }
  return mask;
}
