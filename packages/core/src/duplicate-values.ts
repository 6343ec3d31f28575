// Finds the values that occur more than once in a large vector of IINs (whole numbers in [0, 2^53)).
// Sorting a copy of 10 million doubles costs about twice the whole parse, and a JS Set is slower still and caps at
// 2^24 entries. Instead: a counting pass and a scatter pass partition the values by hash into buckets of a few
// thousand, then each bucket is checked with a small open-addressing table that stays in L2 cache.

const TARGET_BUCKET_SIZE = 8192;
const MAX_BUCKET_BITS = 12; // 4096 buckets: more scatter targets than that thrash the TLB in the scatter pass
const EMPTY = -1; // no IIN is negative

/** Mixes both 32-bit halves of a whole number below 2^53 into 32 well-spread bits. */
function hash(value: number): number {
  const low = value >>> 0; // ToUint32 is modular: the low 32 bits
  const high = (value / 4_294_967_296) | 0;
  return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1);
}

/** A second, independent spread for the slot inside a bucket (the bucket used the hash's top bits). */
function slotHash(h: number): number {
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
}

/** The values occurring more than once, or null when every value is unique (the usual case). Values must be >= 0. */
export function findDuplicateValues(values: Float64Array): Set<number> | null {
  const n = values.length;
  if (n < 2) return null;
  const bucketBits = Math.min(MAX_BUCKET_BITS, Math.max(1, Math.ceil(Math.log2(n / TARGET_BUCKET_SIZE))));
  const bucketCount = 1 << bucketBits;
  const bucketShift = 32 - bucketBits;

  // Counting pass, then prefix sums: starts[b] .. starts[b + 1] is bucket b in `partitioned`.
  const starts = new Uint32Array(bucketCount + 1);
  for (let i = 0; i < n; i++) starts[(hash(values[i]!) >>> bucketShift) + 1]!++;
  let largestBucket = 0;
  for (let b = 0; b < bucketCount; b++) {
    largestBucket = Math.max(largestBucket, starts[b + 1]!);
    starts[b + 1]! += starts[b]!;
  }
  const cursor = starts.slice(0, bucketCount);
  const partitioned = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    partitioned[cursor[hash(value) >>> bucketShift]!++] = value;
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
      const value = partitioned[i]!;
      let slot = slotHash(hash(value)) >>> tableShift;
      for (;;) {
        const key = keys[slot]!;
        if (key === EMPTY) {
          keys[slot] = value;
          break;
        }
        if (key === value) {
          duplicates ??= new Set();
          duplicates.add(value);
          break;
        }
        slot = (slot + 1) & tableMask;
      }
    }
  }
  return duplicates;
}
