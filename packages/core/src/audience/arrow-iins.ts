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
  /** For each entry of `values`, its row index in the column (only when asked for: value columns need it). */
  rows?: Uint32Array;
  /** Rows that were null, empty, non-numeric, negative, fractional or longer than 12 digits. */
  invalidRows: number;
}

const MAX_IIN = 999_999_999_999;

/** Converts an IIN column (int8..int64, uint*, float*, utf8, large utf8, dictionary of those) to numbers. */
export function iinsFromColumn(
  column: Vector,
  options: { keepRows?: boolean; columnName?: string } = {},
): ColumnIins {
  const total = column.length;
  const values = new Float64Array(total);
  const rows = options.keepRows ? new Uint32Array(total) : undefined;
  let n = 0;
  let invalid = 0;
  let rowBase = 0;
  for (const data of column.data) {
    const read = rowReader(data, options.columnName ?? 'iin');
    const checkNulls = data.nullCount > 0;
    for (let i = 0; i < data.length; i++) {
      const v = checkNulls && !data.getValid(i) ? -1 : read(i);
      if (v >= 0 && v <= MAX_IIN && Math.floor(v) === v) {
        values[n] = v;
        if (rows) rows[n] = rowBase + i;
        n++;
      } else invalid++;
    }
    rowBase += data.length;
  }
  const result: ColumnIins = { values: n === total ? values : values.slice(0, n), invalidRows: invalid };
  if (rows) result.rows = n === total ? rows : rows.slice(0, n);
  return result;
}

/** A reader returning the IIN at row i of one chunk as a number, or -1 when the row holds no IIN. */
function rowReader(data: Data, columnName: string): (i: number) => number {
  const type = data.type;
  switch (type.typeId) {
    case Type.Int: {
      const values = data.values as ArrayLike<number | bigint> & ArrayBufferView;
      if ((type as Int).bitWidth === 64) {
        // Read int64 as two int32 halves: Number(bigint) per row is 3-4x slower.
        const halves = new Int32Array(values.buffer, values.byteOffset, data.length * 2);
        return (i) => {
          const hi = halves[2 * i + 1] as number;
          return hi < 0 ? -1 : hi * 4294967296 + ((halves[2 * i] as number) >>> 0);
        };
      }
      const small = values as ArrayLike<number>;
      return (i) => small[i] as number;
    }
    case Type.Float: {
      const floats = data.values as Float64Array | Float32Array;
      if ((type as Float).precision === Precision.HALF)
        throw new DatasetError('DATASET.IIN_COLUMN_TYPE', `IIN column '${columnName}' is float16`);
      return (i) => {
        const v = floats[i] as number;
        return Number.isFinite(v) ? v : -1;
      };
    }
    case Type.Utf8:
    case Type.LargeUtf8:
    case Type.Binary:
    case Type.LargeBinary: {
      const bytes = data.values as Uint8Array;
      const offsets = data.valueOffsets as Int32Array | BigInt64Array;
      const narrow = offsets instanceof Int32Array ? offsets : null;
      return (i) => {
        const start = narrow ? (narrow[i] as number) : Number((offsets as BigInt64Array)[i]);
        const end = narrow ? (narrow[i + 1] as number) : Number((offsets as BigInt64Array)[i + 1]);
        return digitsToNumber(bytes, start, end);
      };
    }
    case Type.Dictionary: {
      const dictionary = iinsFromColumnKeepingPositions(data.dictionary as Vector, columnName);
      const indices = data.values as ArrayLike<number>;
      return (i) => dictionary[indices[i] as number] ?? -1;
    }
    default:
      throw new DatasetError(
        'DATASET.IIN_COLUMN_TYPE',
        `IIN column '${columnName}' has type ${String(type)}; expected integers, floats or text`,
      );
  }
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
