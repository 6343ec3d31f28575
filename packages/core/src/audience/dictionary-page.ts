// A dictionary-encoded parquet data page (bit width byte, then the RLE / bit-packed hybrid of dictionary indices)
// decoded straight into the dictionary's values: a value column's codes, an IIN column's numbers. hyparquet's
// general reader takes a byte at a time with a branch per bit step and its indices were then mapped in a second
// pass; value columns are all dictionary pages (DuckDB), 51M rows of a cold filter's files.

/** Widest index handled here: the bit buffer holds up to width + 7 bits in a 32-bit integer. */
export const MAX_DICTIONARY_BITS = 24;

/**
 * The dictionary's values looked up by any index a `width`-bit page can hold: entries past the dictionary are -1
 * (an index past it means no value, as before), so the decoder needs no bounds check per row.
 */
export function paddedDictionary<T extends Float64Array | Int32Array>(
  dictionary: T,
  width: number,
  make: (length: number) => T,
): T {
  const size = 2 ** width;
  if (dictionary.length >= size) return dictionary;
  const padded = make(size);
  padded.fill(-1);
  padded.set(dictionary);
  return padded;
}

/**
 * Writes the values of `count` indices of a page (its bytes after the bit-width byte, `width` bits an index)
 * into out[0, count), each as lookup[index] (lookup: paddedDictionary). Throws when the runs end before `count`.
 */
export function decodeDictionaryIndices<T extends Float64Array | Int32Array>(
  bytes: Uint8Array,
  from: number,
  width: number,
  count: number,
  lookup: T,
  out: T,
): void {
  const end = bytes.length;
  const mask = width === 0 ? 0 : (1 << width) - 1;
  const valueBytes = (width + 7) >>> 3;
  let p = from;
  let seen = 0;
  while (seen < count) {
    // Run header: a ULEB128 varint, low bit 1 for a bit-packed run (header >> 1 groups of 8), 0 for a repeat.
    let header = 0;
    let shift = 0;
    for (;;) {
      if (p >= end) throw new Error('dictionary indices end before their page values');
      const b = bytes[p++]!;
      header += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
      if (shift > 28) throw new Error('dictionary index run header too long');
    }
    if ((header & 1) === 0) {
      const run = Math.floor(header / 2);
      if (p + valueBytes > end) throw new Error('dictionary indices end before their page values');
      let index = 0;
      for (let k = 0; k < valueBytes; k++) index |= bytes[p++]! << (8 * k);
      const stop = Math.min(count, seen + run);
      out.fill(index <= mask ? lookup[index]! : -1, seen, stop);
      seen = stop;
      continue;
    }
    const groups = Math.floor(header / 2);
    const emit = Math.min(groups * 8, count - seen);
    // The bytes the emitted indices use must be there; the run's padding past `count` may be cut off.
    const runEnd = p + groups * width;
    if (p + Math.ceil((emit * width) / 8) > end)
      throw new Error('dictionary indices end before their page values');
    let buffer = 0;
    let bits = 0;
    const stop = seen + emit;
    for (let i = seen; i < stop; i++) {
      while (bits < width) {
        buffer |= bytes[p++]! << bits;
        bits += 8;
      }
      out[i] = lookup[buffer & mask]!;
      buffer >>>= width;
      bits -= width;
    }
    seen = stop;
    p = runEnd;
  }
}
