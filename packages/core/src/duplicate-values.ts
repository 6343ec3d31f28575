// Finds the values that occur more than once in a large vector of IINs (whole numbers below 1e12 < 2^40).
// Sorting a copy of 10 million doubles costs about twice the whole parse, and a JS Set is slower still and caps at
// 2^24 entries. Instead: a counting pass and a scatter pass partition the values into buckets of a few thousand,
// then each bucket is checked with a small open-addressing table that stays in L2 cache.
// A bucket is chosen by the value's high 8 bits (above bit 32) plus a few hashed low bits, so inside a bucket the
// low 32 bits identify a value: the partition holds 4 bytes per value, not 8. Half the memory traffic, and half the
// large allocation, which matters: with millions of strings alive, each big allocation can cost a full GC.

/** Values must be below this. */
export const DUPLICATE_VALUE_LIMIT = 2 ** 40;
const TWO_POW_32 = 4_294_967_296;
/** Buckets of about this size; typical IIN files use ~70 of the 256 high-bit values (birth years). */
const TARGET_BUCKET_SIZE = 8192;
const ASSUMED_HIGH_VALUES = 64;
const MAX_SUB_BITS = 6; // 256 << 6 buckets at most: more scatter targets than that thrash the TLB
const EMPTY = -1;

/** murmur3's 32-bit finaliser: spreads the low 32 bits for the slot inside a bucket. */
function mix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** The values occurring more than once, or null when every value is unique (the usual case). */
export function findDuplicateValues(values: Float64Array): Set<number> | null {
  const n = values.length;
  if (n < 2) return null;
  const subBits = Math.min(
    MAX_SUB_BITS,
    Math.max(1, Math.ceil(Math.log2(n / (ASSUMED_HIGH_VALUES * TARGET_BUCKET_SIZE)))),
  );
  const subShift = 32 - subBits;
  const bucketCount = 256 << subBits;
  // Bucket of a value: (value >> 32) << subBits | top subBits of a multiplicative hash of the low 32 bits.
  const bucketOf = (value: number) =>
    (((value / TWO_POW_32) | 0) << subBits) | (Math.imul(value >>> 0, 0x9e3779b1) >>> subShift);

  // Counting pass, then prefix sums: starts[b] .. starts[b + 1] is bucket b in `lows`.
  const starts = new Uint32Array(bucketCount + 1);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    if (!(value >= 0 && value < DUPLICATE_VALUE_LIMIT)) {
      throw new RangeError(`findDuplicateValues: ${value} is outside [0, 2^40)`);
    }
    starts[bucketOf(value) + 1]!++;
  }
  let largestBucket = 0;
  for (let b = 0; b < bucketCount; b++) {
    largestBucket = Math.max(largestBucket, starts[b + 1]!);
    starts[b + 1]! += starts[b]!;
  }
  const cursor = starts.slice(0, bucketCount);
  const lows = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    lows[cursor[bucketOf(value)]!++] = value >>> 0;
  }

  // One table sized for the largest bucket; each bucket uses (and clears) only the power of two it needs, so the
  // clearing costs a few times the bucket's size even when one bucket is huge (a file of one IIN repeated).
  const keys = new Float64Array(2 ** Math.max(4, Math.ceil(Math.log2(largestBucket * 2))));
  let duplicates: Set<number> | null = null;
  for (let b = 0; b < bucketCount; b++) {
    const end = starts[b + 1]!;
    const size = end - starts[b]!;
    if (size < 2) continue;
    const tableBits = Math.max(4, Math.ceil(Math.log2(size * 2)));
    const tableMask = (1 << tableBits) - 1;
    const tableShift = 32 - tableBits;
    keys.fill(EMPTY, 0, 1 << tableBits);
    for (let i = starts[b]!; i < end; i++) {
      const low = lows[i]!;
      let slot = mix32(low) >>> tableShift;
      for (;;) {
        const key = keys[slot]!;
        if (key === EMPTY) {
          keys[slot] = low;
          break;
        }
        if (key === low) {
          duplicates ??= new Set();
          duplicates.add((b >>> subBits) * TWO_POW_32 + low);
          break;
        }
        slot = (slot + 1) & tableMask;
      }
    }
  }
  return duplicates;
}
