// Parquet bytes -> Arrow (parquet-wasm + apache-arrow) -> the engine's sorted IIN vectors. Core decodes bytes it
// is given; reading, watching and caching files is packages/db's job.
import { type Table, tableFromIPC, type Vector } from 'apache-arrow';
import { parseTable } from 'arrow-js-ffi';
import { type FFIStream, ParquetFile, readParquet, wasmMemory } from 'parquet-wasm';
import { writeColumnIins } from './arrow-iins';
import { DatasetError } from './dataset-error';
import { IinSetBuilder } from './iin-set-build';
import type { IinVector } from './iin-vector';
import {
  type ByteRanges,
  footerColumnNames,
  type PageRowSink,
  planPageRead,
  readFooter,
  readPages,
} from './parquet-pages';
import { ValueEncoder } from './value-encoder';
import type { ValueIndex } from './value-index';
import { ValueIndexBuilder } from './value-index-build';
import type { ValueRowBuckets } from './value-row-buckets';

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

/** Parquet bytes read range by range (a file on disk, say); `read` answers [start, end) clipped to `size`. */
export type ParquetSource = ByteRanges;

export interface DatasetColumns {
  iinColumn: string;
  valueColumn?: string | undefined;
}

/** Rows per Arrow batch when decoding: large batches keep per-batch overhead off a 10M-row file. */
const DECODE_BATCH_ROWS = 1 << 21;

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
 * Parquet bytes -> decoded dataset, a batch of row groups at a time: WebAssembly memory never grows past one batch
 * (it cannot shrink again), and only the IIN and value columns are decoded. Throws DatasetError naming the problem.
 */
export async function decodeParquetDataset(
  input: Uint8Array | ParquetSource,
  columns: DatasetColumns,
): Promise<DecodedDataset> {
  const source = input instanceof Uint8Array ? bufferSource(input) : input;
  // Flat files of plain or dictionary pages (exports, our own writer's) are read page by page here; anything else
  // by parquet-wasm below.
  const footer = await readFooter(source);
  if (footer) {
    const { iinName, valueName } = resolveColumns(footerColumnNames(footer), columns);
    const plan = planPageRead(footer, iinName, valueName);
    if (plan) {
      const sink = new RowSink(Number(footer.num_rows), valueName !== undefined, iinName);
      await readPages(source, plan, sink.encoder, sink);
      return sink.finish();
    }
  }
  let file: ParquetFile;
  let names: string[];
  let batches: number[][];
  let total: number;
  try {
    file = await ParquetFile.fromFile(blobOver(source));
    names = tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => f.name);
    const metadata = file.metadata();
    batches = rowGroupBatches(
      Array.from({ length: metadata.numRowGroups() }, (_, g) => {
        const group = metadata.rowGroup(g);
        const rows = group.numRows();
        group.free();
        return rows;
      }),
    );
    total = metadata.fileMetadata().numRows();
  } catch (cause) {
    throw new DatasetError('DATASET.UNREADABLE', `not a readable parquet file (${describe(cause)})`, {
      cause,
    });
  }
  try {
    const { iinName, valueName } = resolveColumns(names, columns);
    const sink = new RowSink(total, valueName !== undefined, iinName);
    for (const rowGroups of batches) {
      let ffi: FFIStream | undefined;
      let table: Table;
      try {
        const group = await file.read({
          rowGroups,
          batchSize: DECODE_BATCH_ROWS,
          columns: valueName ? [iinName, valueName] : [iinName],
        });
        ffi = group.intoFFI();
        // Views of the decoded columns inside WebAssembly memory, not copies: read before anything can call into
        // the module again (a later read may grow, and so move, that memory), then freed.
        table = parseTable(wasmMemory().buffer, ffi.arrayAddrs(), ffi.schemaAddr(), false);
      } catch (cause) {
        ffi?.free();
        throw new DatasetError(
          'DATASET.UNREADABLE',
          `row group ${rowGroups.length === 1 ? rowGroups[0] : `${rowGroups[0]}-${rowGroups.at(-1)}`} could not be decoded (${describe(cause)})`,
          { cause },
        );
      }
      try {
        sink.add(table.getChild(iinName)!, valueName ? table.getChild(valueName) : null);
      } finally {
        ffi.free();
      }
    }
    return sink.finish();
  } finally {
    file.free();
  }
}

/**
 * Consecutive row groups read together, up to about DECODE_BATCH_ROWS / 2 rows a read: exporters write small
 * groups (DuckDB 122,880 rows), and each read has a fixed cost (a few ms here); wasm memory holds one batch.
 */
function rowGroupBatches(rows: number[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let inCurrent = 0;
  rows.forEach((n, g) => {
    if (current.length > 0 && inCurrent + n > DECODE_BATCH_ROWS / 2) {
      batches.push(current);
      current = [];
      inCurrent = 0;
    }
    current.push(g);
    inCurrent += n;
  });
  if (current.length > 0) batches.push(current);
  return batches;
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

/**
 * Turns decoded chunks (row groups) into the dataset: each chunk's IINs and value codes are written into scratch
 * arrays reused from chunk to chunk and handed to a builder, so no array of all rows is made for sorted files.
 */
class RowSink implements PageRowSink {
  private iins = new Float64Array(0);
  private codes = new Int32Array(0);
  readonly encoder = new ValueEncoder();
  private readonly valueBuilder: ValueIndexBuilder | undefined;
  private readonly setBuilder: IinSetBuilder | undefined;
  private rows = 0;
  private invalid = 0;

  constructor(
    capacity: number,
    withValues: boolean,
    private readonly iinName: string,
  ) {
    if (withValues) this.valueBuilder = new ValueIndexBuilder(capacity);
    else this.setBuilder = new IinSetBuilder(capacity);
  }

  add(iinColumn: Vector, valueColumn: Vector | null): void {
    const n = iinColumn.length;
    if (this.iins.length < n) {
      this.iins = new Float64Array(n);
      if (this.valueBuilder) this.codes = new Int32Array(n);
    }
    this.invalid += writeColumnIins(iinColumn, this.iins.subarray(0, n), this.iinName);
    if (this.valueBuilder) {
      if (valueColumn) this.encoder.encode(valueColumn, this.codes.subarray(0, n));
      else this.codes.fill(-1, 0, n);
      this.valueBuilder.add(this.iins, this.codes, n);
    } else this.setBuilder!.add(this.iins, n);
    this.rows += n;
  }

  /** Rows already decoded: IINs (-1: none, `invalid` of them) and, for value datasets, codes (-1: none). */
  addRows(iins: Float64Array, codes: Int32Array | undefined, length: number, invalid: number): void {
    this.invalid += invalid;
    if (this.valueBuilder) {
      if (codes) this.valueBuilder.add(iins, codes, length);
    } else this.setBuilder!.add(iins, length);
    this.rows += length;
  }

  bucketed(): ValueRowBuckets | undefined {
    return this.valueBuilder ? this.valueBuilder.bucketed : this.setBuilder!.bucketed;
  }

  countRows(length: number, invalid: number): void {
    this.invalid += invalid;
    this.rows += length;
  }

  finish(): DecodedDataset {
    const { rows } = this;
    const invalidRows = this.invalid;
    if (this.valueBuilder) {
      const { iins, index } = this.valueBuilder.finish(this.encoder.labels);
      return { iins, values: index, rows, invalidRows, bytes: iins.byteLength + index.masks.byteLength };
    }
    const iins = this.setBuilder!.finish();
    return { iins, rows, invalidRows, bytes: iins.byteLength };
  }
}

/** Bytes in memory as a source (copies of the ranges asked for: the reader takes ownership of them). */
function bufferSource(bytes: Uint8Array): ParquetSource {
  return {
    size: bytes.byteLength,
    read: async (start, end) =>
      bytes.buffer.slice(
        bytes.byteOffset + start,
        bytes.byteOffset + Math.min(end, bytes.byteLength),
      ) as ArrayBuffer,
    readInto: async (start, into) => {
      if (start + into.byteLength > bytes.byteLength) throw new Error('read past the end of the data');
      into.set(bytes.subarray(start, start + into.byteLength));
    },
  };
}

/**
 * The source as the Blob ParquetFile reads from. parquet-wasm 0.8 only asks a Blob for `size` and
 * `slice(start, end).arrayBuffer()`; answering those straight from the source saves copying the whole file into a
 * real Blob and streaming every column chunk back out of it (about 5% of a cold load), and lets a file be read
 * range by range.
 */
function blobOver(source: ParquetSource): Blob {
  const slice = (start: number, end: number) => ({ arrayBuffer: () => source.read(start, end) });
  return { size: source.size, slice } as unknown as Blob;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
