// Parquet bytes -> Arrow (parquet-wasm + apache-arrow) -> the engine's sorted IIN vectors. Core decodes bytes it
// is given; reading, watching and caching files is packages/db's job.
import { type Table, tableFromIPC, type Vector } from 'apache-arrow';
import { ParquetFile, readParquet, readSchema } from 'parquet-wasm';
import { writeColumnIins } from './arrow-iins';
import { DatasetError } from './dataset-error';
import { type IinVector, sortUniqueInPlace } from './iin-vector';
import { ValueEncoder } from './value-encoder';
import { buildValueIndex, type ValueIndex } from './value-index';

/** A dataset ready for the pipeline: its distinct IINs and, for devices, streams and products, their values. */
export interface DecodedDataset {
  /** Distinct IINs (for value datasets: those holding at least one value). */
  iins: IinVector;
  /** Value datasets: which values each IIN holds. */
  values?: ValueIndex;
  /** Rows in the file. */
  rows: number;
  /** Rows whose IIN cell held no usable IIN (null, text, too long); left out, counted here. */
  invalidRows: number;
  /** Bytes held by the vectors. */
  bytes: number;
}

export interface DatasetColumns {
  iinColumn: string;
  valueColumn?: string | undefined;
}

/** Rows per Arrow batch when decoding: large batches keep per-batch overhead off a 10M-row file. */
const DECODE_BATCH_ROWS = 1 << 21;

/** Column names of a parquet file (reads only the footer). Throws DATASET.UNREADABLE for non-parquet bytes. */
export function parquetColumnNames(bytes: Uint8Array): string[] {
  try {
    const schema = tableFromIPC(readSchema(bytes).intoIPCStream()).schema;
    return schema.fields.map((f) => f.name);
  } catch (cause) {
    throw new DatasetError('DATASET.UNREADABLE', `not a readable parquet file (${describe(cause)})`, {
      cause,
    });
  }
}

/** Decodes the named columns of a parquet file to an Arrow table in one go (small files, tests, tools). */
export function readParquetTable(bytes: Uint8Array, columns?: string[]): Table {
  try {
    const wasmTable = readParquet(bytes, { batchSize: DECODE_BATCH_ROWS, ...(columns ? { columns } : {}) });
    return tableFromIPC(wasmTable.intoIPCStream());
  } catch (cause) {
    throw new DatasetError('DATASET.UNREADABLE', `parquet data could not be decoded (${describe(cause)})`, {
      cause,
    });
  }
}

/** Finds a column by exact name, else by trimmed case-insensitive name (exports disagree on `IIN` vs `iin`). */
export function matchColumn(names: readonly string[], wanted: string): string | undefined {
  if (names.includes(wanted)) return wanted;
  const key = wanted.trim().toLowerCase();
  return names.find((n) => n.trim().toLowerCase() === key);
}

/**
 * Parquet bytes -> decoded dataset, one row group at a time: WebAssembly memory never grows past one group (it
 * cannot shrink again), and only the IIN and value columns are decoded. Throws DatasetError naming the problem.
 */
export async function decodeParquetDataset(
  bytes: Uint8Array,
  columns: DatasetColumns,
): Promise<DecodedDataset> {
  let file: ParquetFile;
  let names: string[];
  let groups: number;
  let total: number;
  try {
    file = await ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    names = tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => f.name);
    const metadata = file.metadata();
    groups = metadata.numRowGroups();
    total = metadata.fileMetadata().numRows();
  } catch (cause) {
    throw new DatasetError('DATASET.UNREADABLE', `not a readable parquet file (${describe(cause)})`, {
      cause,
    });
  }
  try {
    const { iinName, valueName } = resolveColumns(names, columns);
    const sink = new RowSink(total, valueName !== undefined, iinName);
    for (let g = 0; g < groups; g++) {
      let table: Table;
      try {
        const group = await file.read({
          rowGroups: [g],
          batchSize: DECODE_BATCH_ROWS,
          columns: valueName ? [iinName, valueName] : [iinName],
        });
        table = tableFromIPC(group.intoIPCStream());
      } catch (cause) {
        throw new DatasetError(
          'DATASET.UNREADABLE',
          `row group ${g} could not be decoded (${describe(cause)})`,
          {
            cause,
          },
        );
      }
      sink.add(table.getChild(iinName)!, valueName ? table.getChild(valueName) : null);
    }
    return sink.finish();
  } finally {
    file.free();
  }
}

/** Arrow table -> decoded dataset (also used for tables that never were parquet). */
export function datasetFromArrowTable(table: Table, columns: DatasetColumns): DecodedDataset {
  const { iinName, valueName } = resolveColumns(
    table.schema.fields.map((f) => f.name),
    columns,
  );
  const sink = new RowSink(table.numRows, valueName !== undefined, iinName);
  sink.add(table.getChild(iinName)!, valueName ? table.getChild(valueName) : null);
  return sink.finish();
}

function resolveColumns(names: string[], columns: DatasetColumns): { iinName: string; valueName?: string } {
  const iinName = matchColumn(names, columns.iinColumn);
  if (iinName === undefined) {
    throw new DatasetError(
      'DATASET.IIN_COLUMN_MISSING',
      `no column '${columns.iinColumn}' (columns: ${names.join(', ') || 'none'})`,
    );
  }
  if (columns.valueColumn === undefined) return { iinName };
  const valueName = matchColumn(names, columns.valueColumn);
  if (valueName === undefined) {
    throw new DatasetError(
      'DATASET.VALUE_COLUMN_MISSING',
      `no column '${columns.valueColumn}' (columns: ${names.join(', ') || 'none'})`,
    );
  }
  return { iinName, valueName };
}

/** Collects (IIN, value code) rows chunk by chunk into preallocated typed arrays, then builds the dataset. */
class RowSink {
  private readonly iins: Float64Array;
  private readonly codes: Int32Array | undefined;
  private readonly encoder = new ValueEncoder();
  private rows = 0;
  private invalid = 0;

  constructor(
    capacity: number,
    withValues: boolean,
    private readonly iinName: string,
  ) {
    this.iins = new Float64Array(capacity);
    this.codes = withValues ? new Int32Array(capacity) : undefined;
  }

  add(iinColumn: Vector, valueColumn: Vector | null): void {
    const n = iinColumn.length;
    this.invalid += writeColumnIins(iinColumn, this.iins.subarray(this.rows, this.rows + n), this.iinName);
    if (this.codes && valueColumn)
      this.encoder.encode(valueColumn, this.codes.subarray(this.rows, this.rows + n));
    this.rows += n;
  }

  finish(): DecodedDataset {
    const { iins, codes } = this;
    // Squeeze out rows without an IIN, in place (nothing to do in the usual case of none).
    let kept = this.rows;
    if (this.invalid > 0) {
      kept = 0;
      for (let r = 0; r < this.rows; r++) {
        const v = iins[r]!;
        if (v < 0) continue;
        iins[kept] = v;
        if (codes) codes[kept] = codes[r]!;
        kept++;
      }
    }
    const invalidRows = this.rows - kept;
    if (!codes) {
      const vector = sortUniqueInPlace(iins.subarray(0, kept));
      // A view that keeps a much larger buffer alive is copied down to size.
      const compact = vector.buffer.byteLength > vector.byteLength * 1.25 ? vector.slice() : vector;
      return { iins: compact, rows: this.rows, invalidRows, bytes: compact.byteLength };
    }
    const { iins: distinct, index } = buildValueIndex(
      iins.subarray(0, kept),
      codes.subarray(0, kept),
      this.encoder.labels,
    );
    return {
      iins: distinct,
      values: index,
      rows: this.rows,
      invalidRows,
      bytes: distinct.byteLength + index.masks.byteLength,
    };
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
