// Parquet bytes -> Arrow (parquet-wasm + apache-arrow) -> the engine's sorted IIN vectors. Core decodes bytes it
// is given; reading, watching and caching files is packages/db's job.
import { type Table, tableFromIPC, type Vector } from 'apache-arrow';
import { readParquet, readSchema } from 'parquet-wasm';
import { iinsFromColumn } from './arrow-iins';
import { DatasetError } from './dataset-error';
import { type IinVector, sortUnique } from './iin-vector';
import { encodeValueColumn } from './value-groups';
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
const DECODE_BATCH_ROWS = 1 << 20;

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

/** Decodes the named columns of a parquet file to an Arrow table. */
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

/** Parquet bytes -> decoded dataset. Throws DatasetError naming the problem (the caller skips the step). */
export function decodeParquetDataset(bytes: Uint8Array, columns: DatasetColumns): DecodedDataset {
  const names = parquetColumnNames(bytes);
  const iinName = matchColumn(names, columns.iinColumn);
  if (iinName === undefined) {
    throw new DatasetError(
      'DATASET.IIN_COLUMN_MISSING',
      `no column '${columns.iinColumn}' (columns: ${names.join(', ') || 'none'})`,
    );
  }
  let valueName: string | undefined;
  if (columns.valueColumn !== undefined) {
    valueName = matchColumn(names, columns.valueColumn);
    if (valueName === undefined) {
      throw new DatasetError(
        'DATASET.VALUE_COLUMN_MISSING',
        `no column '${columns.valueColumn}' (columns: ${names.join(', ') || 'none'})`,
      );
    }
  }
  const table = readParquetTable(bytes, valueName ? [iinName, valueName] : [iinName]);
  return datasetFromArrowTable(table, { iinColumn: iinName, valueColumn: valueName });
}

/** Arrow table -> decoded dataset (also used for tables that never were parquet). */
export function datasetFromArrowTable(table: Table, columns: DatasetColumns): DecodedDataset {
  const iinColumn = table.getChild(columns.iinColumn);
  if (!iinColumn) throw new DatasetError('DATASET.IIN_COLUMN_MISSING', `no column '${columns.iinColumn}'`);
  if (columns.valueColumn === undefined) {
    const { values, invalidRows } = iinsFromColumn(iinColumn, { columnName: columns.iinColumn });
    const iins = sortUnique(values);
    return { iins, rows: table.numRows, invalidRows, bytes: iins.byteLength };
  }
  const valueColumn: Vector | null = table.getChild(columns.valueColumn);
  if (!valueColumn)
    throw new DatasetError('DATASET.VALUE_COLUMN_MISSING', `no column '${columns.valueColumn}'`);
  const { values, rows, invalidRows } = iinsFromColumn(iinColumn, {
    keepRows: true,
    columnName: columns.iinColumn,
  });
  const { codeOfRow, labels } = encodeValueColumn(valueColumn);
  const codes =
    values.length === codeOfRow.length ? codeOfRow : Int32Array.from(rows!, (row) => codeOfRow[row]!);
  const { iins, index } = buildValueIndex(values, codes, labels);
  return {
    iins,
    values: index,
    rows: table.numRows,
    invalidRows,
    bytes: iins.byteLength + index.masks.byteLength,
  };
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
