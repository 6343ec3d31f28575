// Encodes a value column (device, push stream, product) as one small integer per row without a JS string per
// row: dictionary columns map through their indices, plain text columns through a byte hash.
import { type Data, makeVector, Type, type Vector } from 'apache-arrow';

const NULL_CODE = -1;

/** Turns value cells into small integer codes, labels numbered in order of first appearance across chunks. */
export class ValueEncoder {
  readonly labels: string[] = [];
  private readonly codeOfLabel = new Map<string, number>();
  private readonly seenBytes = new SeenByteStrings();

  /** Writes a code per row of `column` into `out` (same length): -1 for null or empty cells. */
  encode(column: Vector, out: Int32Array): void {
    let rowBase = 0;
    for (const data of column.data) {
      encodeChunk(data, rowBase, out, this.labels, this.codeOfLabel, this.seenBytes);
      rowBase += data.length;
    }
  }

  /** The code of the text bytes[start, end) (-1 for empty or blank text), a string made only for a new value. */
  codeOfBytes(bytes: Uint8Array, start: number, end: number): number {
    const slot = this.seenBytes.find(bytes, start, end);
    if (slot >= 0 && slot < SLOTS) return this.seenBytes.codeAt(slot);
    const code = codeFor(TEXT.decode(bytes.subarray(start, end)), this.labels, this.codeOfLabel);
    if (slot < 0) this.seenBytes.insert(-slot - 1, bytes, start, end, code);
    return code;
  }
}

const TEXT = new TextDecoder();

/**
 * Byte strings already given a code, for plain text columns (exports often arrive so: the parquet dictionary is
 * expanded into one string per row). A value column holds a handful of distinct strings, so a small open-addressed
 * table keyed by the length and three of the bytes finds the candidate, and one byte comparison confirms it:
 * about a tenth of hashing every byte and looking the hash up in a Map. Misses fall back to the hashed path.
 */
class SeenByteStrings {
  /** Entry + 1 per slot (0: empty). */
  private readonly slots = new Int32Array(SLOTS);
  private pool = new Uint8Array(1 << 12);
  private poolUsed = 0;
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  readonly codes: number[] = [];

  /** The slot index where `bytes[start, end)` is, or -(free slot + 1) to insert it, or SLOTS when neither. */
  find(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length === 0) return SLOTS;
    let slot =
      (Math.imul(length, 0x9e3779b1) ^
        (bytes[start + (length >>> 1)]! << 11) ^
        (bytes[end - 1]! << 5) ^
        bytes[start + (length > 1 ? 1 : 0)]!) &
      (SLOTS - 1);
    const pool = this.pool;
    for (let probe = 0; probe < PROBES; probe++, slot = (slot + 1) & (SLOTS - 1)) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return -(slot + 1);
      if (this.lengths[entry] !== length) continue;
      const at = this.starts[entry]!;
      let k = 0;
      while (k < length && pool[at + k] === bytes[start + k]) k++;
      if (k === length) return slot;
    }
    return SLOTS;
  }

  codeAt(slot: number): number {
    return this.codes[this.slots[slot]! - 1]!;
  }

  /** Remembers `bytes[start, end)` in a free slot (from find) with its code. */
  insert(freeSlot: number, bytes: Uint8Array, start: number, end: number, code: number): void {
    const length = end - start;
    if (this.poolUsed + length > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + length));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    this.pool.set(bytes.subarray(start, end), this.poolUsed);
    this.starts.push(this.poolUsed);
    this.lengths.push(length);
    this.codes.push(code);
    this.poolUsed += length;
    this.slots[freeSlot] = this.codes.length;
  }
}

/** Table slots (a power of two) and how far a lookup probes: value columns have far fewer distinct strings. */
const SLOTS = 1 << 12;
const PROBES = 4;

function codeFor(label: string, labels: string[], codeOfLabel: Map<string, number>): number {
  const text = label.trim();
  if (text === '') return NULL_CODE;
  let code = codeOfLabel.get(text);
  if (code === undefined) {
    code = labels.length;
    labels.push(text);
    codeOfLabel.set(text, code);
  }
  return code;
}

function encodeChunk(
  data: Data,
  rowBase: number,
  codeOfRow: Int32Array,
  labels: string[],
  codeOfLabel: Map<string, number>,
  seenBytes: SeenByteStrings,
): void {
  const checkNulls = data.nullCount > 0;
  if (data.type.typeId === Type.Dictionary) {
    const dictionary = data.dictionary as Vector;
    const codeOfEntry = new Int32Array(dictionary.length);
    for (let e = 0; e < dictionary.length; e++) {
      const entry = dictionary.get(e) as unknown;
      codeOfEntry[e] =
        entry === null || entry === undefined ? NULL_CODE : codeFor(String(entry), labels, codeOfLabel);
    }
    const indices = data.values as ArrayLike<number>;
    for (let i = 0; i < data.length; i++) codeOfRow[rowBase + i] = codeOfEntry[indices[i]!] ?? NULL_CODE;
    if (checkNulls)
      for (let i = 0; i < data.length; i++) if (!data.getValid(i)) codeOfRow[rowBase + i] = NULL_CODE;
    return;
  }
  // The paths below skip null and empty cells: they start from "no value".
  codeOfRow.fill(NULL_CODE, rowBase, rowBase + data.length);
  if (data.type.typeId === Type.Utf8 && data.valueOffsets instanceof Int32Array) {
    encodeUtf8Chunk(data, rowBase, codeOfRow, labels, codeOfLabel, seenBytes);
    return;
  }
  // Anything else (numbers, large text, booleans): Arrow's own getter per row is fine, these columns are rare.
  const chunk = makeVector(data);
  for (let i = 0; i < data.length; i++) {
    if (checkNulls && !data.getValid(i)) continue;
    const v = chunk.get(i) as unknown;
    if (v !== null && v !== undefined) codeOfRow[rowBase + i] = codeFor(String(v), labels, codeOfLabel);
  }
}

/** Plain utf8 column: the byte ranges are hashed and compared, decoded to a string once per distinct value. */
function encodeUtf8Chunk(
  data: Data,
  rowBase: number,
  codeOfRow: Int32Array,
  labels: string[],
  codeOfLabel: Map<string, number>,
  seenBytes: SeenByteStrings,
): void {
  const bytes = data.values as Uint8Array;
  const offsets = data.valueOffsets as Int32Array;
  const checkNulls = data.nullCount > 0;
  const decoder = new TextDecoder();
  // Distinct byte strings seen in this chunk: hash -> [start, end, code] triples of their first occurrence.
  const seen = new Map<number, number[]>();
  for (let i = 0; i < data.length; i++) {
    if (checkNulls && !data.getValid(i)) continue;
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    const slot = seenBytes.find(bytes, start, end);
    if (slot >= 0 && slot < SLOTS) {
      codeOfRow[rowBase + i] = seenBytes.codeAt(slot);
      continue;
    }
    let h = 0x811c9dc5;
    for (let k = start; k < end; k++) h = Math.imul(h ^ (bytes[k] as number), 0x01000193);
    let entries = seen.get(h);
    let code: number | undefined;
    if (entries) {
      for (let e = 0; e < entries.length; e += 3) {
        if (sameBytes(bytes, entries[e] as number, entries[e + 1] as number, start, end)) {
          code = entries[e + 2];
          break;
        }
      }
    } else {
      entries = [];
      seen.set(h, entries);
    }
    if (code === undefined) {
      code = codeFor(decoder.decode(bytes.subarray(start, end)), labels, codeOfLabel);
      entries.push(start, end, code);
    }
    if (slot < 0) seenBytes.insert(-slot - 1, bytes, start, end, code);
    codeOfRow[rowBase + i] = code;
  }
}

function sameBytes(bytes: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (bytes[s1 + k] !== bytes[s2 + k]) return false;
  return true;
}
