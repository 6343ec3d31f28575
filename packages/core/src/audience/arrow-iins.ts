// Arrow column -> numeric IINs. Real exports store the IIN column as int64, float64 or 12-character text (and
// text that lost its leading zero in a spreadsheet): all of them mean the same number, so the engine only keeps
// the number. Works on the column's buffers directly: no per-row JS strings or BigInts on the hot path.
import {
  type Data,
  type Float,
  type Int,
  Int64,
  makeData,
  makeVector,
  Precision,
  Table,
  Type,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import { DatasetError } from './dataset-error';
import type { IinVector } from './iin-vector';

/** Numeric IINs of a column, in row order, with the rows that held no usable IIN left out and counted. */
export interface ColumnIins {
  /** One entry per usable row, row order. */
  values: Float64Array;
  /** For each entry of `values`, its row index in the column (only when asked for, and only when rows were left
   * out: otherwise entry k is row k). */
  rows?: Uint32Array;
  /** Rows that were null, empty, non-numeric, negative, fractional or longer than 12 digits. */
  invalidRows: number;
}

/** The largest 12-digit number. */
export const MAX_IIN = 999_999_999_999;

/** Converts an IIN column (int8..int64, uint*, float*, utf8, large utf8, dictionary of those) to numbers. */
export function iinsFromColumn(
  column: Vector,
  options: { keepRows?: boolean; columnName?: string } = {},
): ColumnIins {
  const total = column.length;
  const all = new Float64Array(total);
  const invalid = writeColumnIins(column, all, options.columnName ?? 'iin');
  if (invalid === 0) return { values: all, invalidRows: 0 };
  const values = new Float64Array(total - invalid);
  const rows = options.keepRows ? new Uint32Array(total - invalid) : undefined;
  let n = 0;
  for (let i = 0; i < total; i++) {
    const v = all[i]!;
    if (v >= 0) {
      if (rows) rows[n] = i;
      values[n++] = v;
    }
  }
  return rows ? { values, rows, invalidRows: invalid } : { values, invalidRows: invalid };
}

/**
 * Writes a column's IINs as numbers into `out` (same length), -1 for every row without a usable IIN (null,
 * empty, not digits, negative, fractional, more than 12 digits). Returns how many rows got -1.
 */
export function writeColumnIins(column: Vector, out: Float64Array, columnName = 'iin'): number {
  let rowBase = 0;
  let invalid = 0;
  for (const data of column.data) {
    invalid += decodeChunk(data, out.subarray(rowBase, rowBase + data.length), columnName);
    rowBase += data.length;
  }
  return invalid;
}

/**
 * Writes the numbers of one chunk into `out` (-1 where a row holds no IIN, nulls included) and returns how many
 * got -1; one tight loop per physical type, counting as it goes.
 */
function decodeChunk(data: Data, out: Float64Array, columnName: string): number {
  let invalid = decodeValues(data, out, columnName);
  if (data.nullCount > 0) {
    for (let i = 0; i < data.length; i++) {
      if (out[i]! >= 0 && !data.getValid(i)) {
        out[i] = -1;
        invalid++;
      }
    }
  }
  return invalid;
}

/** decodeChunk without the nulls: the values as stored (a null slot holds whatever the writer put there). */
function decodeValues(data: Data, out: Float64Array, columnName: string): number {
  const type = data.type;
  const n = data.length;
  let invalid = 0;
  switch (type.typeId) {
    case Type.Int: {
      const values = data.values as ArrayLike<number> & ArrayBufferView;
      if ((type as Int).bitWidth === 64) {
        // Read int64 as two int32 halves: Number(bigint) per row is 3-4x slower.
        const halves = new Int32Array(values.buffer, values.byteOffset, n * 2);
        for (let i = 0; i < n; i++) {
          const hi = halves[2 * i + 1]!;
          const v = hi * 4294967296 + (halves[2 * i]! >>> 0);
          if (hi < 0 || v > MAX_IIN) {
            out[i] = -1;
            invalid++;
          } else out[i] = v;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = values[i]!;
          if (v >= 0 && v <= MAX_IIN) out[i] = v;
          else {
            out[i] = -1;
            invalid++;
          }
        }
      }
      return invalid;
    }
    case Type.Float: {
      if ((type as Float).precision === Precision.HALF) {
        throw new DatasetError('DATASET.IIN_COLUMN_TYPE', `IIN column '${columnName}' is float16`);
      }
      const floats = data.values as Float64Array | Float32Array;
      for (let i = 0; i < n; i++) {
        const v = floats[i]!;
        if (v >= 0 && v <= MAX_IIN && Math.floor(v) === v) out[i] = v;
        else {
          out[i] = -1;
          invalid++;
        }
      }
      return invalid;
    }
    case Type.Utf8:
    case Type.Binary: {
      const bytes = data.values as Uint8Array;
      const offsets = data.valueOffsets as Int32Array;
      // 12-character IINs starting on a 4-byte boundary (all of them when every cell has 12) are read as words.
      const words = wordsOf(bytes);
      for (let i = 0; i < n; i++) {
        const start = offsets[i]!;
        const end = offsets[i + 1]!;
        let v = -1;
        if (end - start === 12) {
          v = words && (start & 3) === 0 ? twelveDigitWords(words, start >>> 2) : twelveDigits(bytes, start);
        }
        if (v < 0) v = digitsToNumber(bytes, start, end);
        out[i] = v;
        if (v < 0) invalid++;
      }
      return invalid;
    }
    case Type.LargeUtf8:
    case Type.LargeBinary: {
      const bytes = data.values as Uint8Array;
      const offsets = data.valueOffsets as unknown as BigInt64Array;
      for (let i = 0; i < n; i++) {
        const v = digitsToNumber(bytes, Number(offsets[i]!), Number(offsets[i + 1]!));
        out[i] = v;
        if (v < 0) invalid++;
      }
      return invalid;
    }
    case Type.Dictionary: {
      const dictionary = iinsFromColumnKeepingPositions(data.dictionary as Vector, columnName);
      const indices = data.values as ArrayLike<number>;
      for (let i = 0; i < n; i++) {
        const v = dictionary[indices[i]!] ?? -1;
        out[i] = v;
        if (v < 0) invalid++;
      }
      return invalid;
    }
    default:
      throw new DatasetError(
        'DATASET.IIN_COLUMN_TYPE',
        `IIN column '${columnName}' has type ${String(type)}; expected integers, floats or text`,
      );
  }
}

/**
 * The IIN in text bytes[start, end): 12 digits read two at a time, else digits with surrounding spaces; -1 when
 * the text is no IIN. (The parquet page reader's path; Arrow columns take the loop above.)
 */
export function iinOfText(bytes: Uint8Array, start: number, end: number): number {
  const v = end - start === 12 ? twelveDigits(bytes, start) : -1;
  return v < 0 ? digitsToNumber(bytes, start, end) : v;
}

/** Two ASCII bytes (first << 8 | second) -> their value 0-99, or -1 when either is not a digit. */
const DIGIT_PAIRS = (() => {
  const table = new Int16Array(1 << 16).fill(-1);
  for (let a = 0; a < 10; a++) for (let b = 0; b < 10; b++) table[((48 + a) << 8) | (48 + b)] = a * 10 + b;
  return table;
})();

/** The common case, exactly 12 ASCII digits, read two at a time through a table; -1 if any is not a digit. */
function twelveDigits(bytes: Uint8Array, s: number): number {
  const p0 = DIGIT_PAIRS[(bytes[s]! << 8) | bytes[s + 1]!]!;
  const p1 = DIGIT_PAIRS[(bytes[s + 2]! << 8) | bytes[s + 3]!]!;
  const p2 = DIGIT_PAIRS[(bytes[s + 4]! << 8) | bytes[s + 5]!]!;
  const p3 = DIGIT_PAIRS[(bytes[s + 6]! << 8) | bytes[s + 7]!]!;
  const p4 = DIGIT_PAIRS[(bytes[s + 8]! << 8) | bytes[s + 9]!]!;
  const p5 = DIGIT_PAIRS[(bytes[s + 10]! << 8) | bytes[s + 11]!]!;
  if ((p0 | p1 | p2 | p3 | p4 | p5) < 0) return -1;
  return ((p0 * 100 + p1) * 100 + p2) * 1e6 + (p3 * 100 + p4) * 100 + p5;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The bytes as 32-bit words (first byte lowest), when they start on a 4-byte boundary of a little-endian host. */
function wordsOf(bytes: Uint8Array): Uint32Array | undefined {
  if (!LITTLE_ENDIAN || (bytes.byteOffset & 3) !== 0) return undefined;
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
}

/**
 * Twelve ASCII digits in three words (SWAR: four digits per step, no table), or -1 when any byte is not a digit.
 * A byte is a digit when its high nibble is 3 and adding 6 keeps it so (0x30-0x39).
 */
function twelveDigitWords(words: Uint32Array, w: number): number {
  return twelveDigitWord(words[w]!, words[w + 1]!, words[w + 2]!);
}

/** Twelve ASCII digits as three little-endian words (first byte lowest), or -1 when any byte is not a digit. */
export function twelveDigitWord(a: number, b: number, c: number): number {
  const bad =
    ((a & 0xf0f0f0f0) ^ 0x30303030) |
    (((a + 0x06060606) & 0xf0f0f0f0) ^ 0x30303030) |
    ((b & 0xf0f0f0f0) ^ 0x30303030) |
    (((b + 0x06060606) & 0xf0f0f0f0) ^ 0x30303030) |
    ((c & 0xf0f0f0f0) ^ 0x30303030) |
    (((c + 0x06060606) & 0xf0f0f0f0) ^ 0x30303030);
  if (bad !== 0) return -1;
  return (fourDigits(a) * 10000 + fourDigits(b)) * 10000 + fourDigits(c);
}

/** Four digit bytes (already checked) -> their value: pairs first (d0 * 10 + d1 in bytes 0 and 2), then both. */
function fourDigits(word: number): number {
  const d = word - 0x30303030;
  const pairs = (d * 10 + (d >>> 8)) & 0x00ff00ff;
  return (pairs & 0xff) * 100 + (pairs >>> 16);
}

/** Dictionary entries as numbers, -1 where an entry is not an IIN (positions kept, unlike iinsFromColumn). */
function iinsFromColumnKeepingPositions(dictionary: Vector, columnName: string): Float64Array {
  const out = new Float64Array(dictionary.length).fill(-1);
  const { values, rows } = iinsFromColumn(dictionary, { keepRows: true, columnName });
  for (let k = 0; k < values.length; k++) out[rows![k]!] = values[k]!;
  return out;
}

/** Parses ASCII digits (surrounding spaces allowed) to a number; -1 for anything else or more than 12 digits. */
function digitsToNumber(bytes: Uint8Array, start: number, end: number): number {
  let s = start;
  let e = end;
  while (s < e && bytes[s] === 32) s++;
  while (e > s && bytes[e - 1] === 32) e--;
  if (e === s || e - s > 12) return -1;
  let v = 0;
  for (let k = s; k < e; k++) {
    const d = (bytes[k] as number) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** The surviving IINs as an Arrow table: `iin` (int64) and, when asked, `iin_text` (12 characters, zero-padded). */
export function iinsToArrowTable(iins: IinVector, options: { withText?: boolean } = {}): Table {
  const halves = new Int32Array(iins.length * 2);
  for (let i = 0; i < iins.length; i++) {
    const v = iins[i] as number;
    const hi = Math.floor(v / 4294967296);
    halves[2 * i] = v - hi * 4294967296;
    halves[2 * i + 1] = hi;
  }
  const data = new BigInt64Array(halves.buffer);
  const iinColumn = makeVector(makeData({ type: new Int64(), length: iins.length, nullCount: 0, data }));
  if (!options.withText) return new Table({ iin: iinColumn });
  const text = Array.from(iins, (v) => String(v).padStart(12, '0'));
  return new Table({ iin: iinColumn, iin_text: vectorFromArray(text, new Utf8()) });
}
