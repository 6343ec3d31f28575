// Arrow table -> parquet bytes (parquet-wasm). Used by the demo-data generator and by tests; core returns the
// bytes, the caller decides where they go.
import { type Table, tableToIPC } from 'apache-arrow';
import {
  Compression,
  Table as WasmTable,
  WriterPropertiesBuilder,
  WriterVersion,
  writeParquet,
} from 'parquet-wasm';

export interface ParquetWriteOptions {
  /** Rows per row group (default 1M: readers decode a group at a time). */
  rowGroupRows?: number;
  compression?: 'snappy' | 'zstd' | 'none';
  /** Data page format (default 1; 2 keeps the levels outside the compressed values, as some writers do). */
  pageVersion?: 1 | 2;
  /** Dictionary-encode columns (default true); false writes PLAIN pages, as exporters do for IIN columns. */
  dictionary?: boolean;
  /** Bytes a data page holds at most (default 1 MB), checked every 16 rows: tests use it for many small pages. */
  pageBytes?: number;
}

export function writeParquetTable(table: Table, options: ParquetWriteOptions = {}): Uint8Array {
  const compression =
    options.compression === 'none'
      ? Compression.UNCOMPRESSED
      : options.compression === 'zstd'
        ? Compression.ZSTD
        : Compression.SNAPPY;
  const properties = new WriterPropertiesBuilder()
    .setCompression(compression)
    .setMaxRowGroupSize(options.rowGroupRows ?? 1 << 20)
    .setWriterVersion(options.pageVersion === 2 ? WriterVersion.V2 : WriterVersion.V1)
    .setDictionaryEnabled(options.dictionary ?? true);
  const sized =
    options.pageBytes === undefined
      ? properties
      : properties.setDataPageSizeLimit(options.pageBytes).setWriteBatchSize(16);
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), sized.build());
}
