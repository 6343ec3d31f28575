// Encodes a value column (device, push stream, product) as one small integer per row without a JS string per
// row: dictionary columns map through their indices, plain text columns through a byte hash.
import { type Data, makeVector, Type, type Vector } from 'apache-arrow';

const NULL_CODE = -1;

/** Turns value cells into small integer codes, labels numbered in order of first appearance across chunks. */
export class ValueEncoder {
  readonly labels: string[] = [];
  private readonly codeOfLabel = new Map<string, number>();

  /** Writes a code per row of `column` into `out` (same length): -1 for null or empty cells. */
  encode(column: Vector, out: Int32Array): void {
    let rowBase = 0;
    for (const data of column.data) {
      encodeChunk(data, rowBase, out, this.labels, this.codeOfLabel);
      rowBase += data.length;
    }
  }
}

/** Codes per column row (-1: null or empty) and the labels they stand for, in order of first appearance. */
export function encodeValueColumn(valueColumn: Vector): { codeOfRow: Int32Array; labels: string[] } {
  const encoder = new ValueEncoder();
  const codeOfRow = new Int32Array(valueColumn.length);
  encoder.encode(valueColumn, codeOfRow);
  return { codeOfRow, labels: encoder.labels };
}

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
    encodeUtf8Chunk(data, rowBase, codeOfRow, labels, codeOfLabel);
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
    codeOfRow[rowBase + i] = code;
  }
}

function sameBytes(bytes: Uint8Array, s1: number, e1: number, s2: number, e2: number): boolean {
  if (e1 - s1 !== e2 - s2) return false;
  for (let k = 0; k < e1 - s1; k++) if (bytes[s1 + k] !== bytes[s2 + k]) return false;
  return true;
}
