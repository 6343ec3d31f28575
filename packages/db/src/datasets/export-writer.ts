// Writes parquet files the way the bank's exporters do, for the demo data's export layout: DuckDB's parquet writer
// with its defaults (row groups of 122,880 rows, snappy, its own page and dictionary choices), rows in the order
// given. DuckDB is a dev dependency, loaded only when this layout is asked for.
import { rename, rm, writeFile } from 'node:fs/promises';
import { writeParquetTable } from '@campaigns/core';
import type { Table } from 'apache-arrow';

export interface ExportWriter {
  /** Writes the table's rows, in order, to `file` (replaced atomically); returns the rows written. */
  write(table: Table, file: string): Promise<number>;
  close(): void;
}

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

export async function openExportWriter(): Promise<ExportWriter> {
  let duckdb: typeof import('@duckdb/node-api');
  try {
    duckdb = await import('@duckdb/node-api');
  } catch (cause) {
    throw new Error(
      'the export layout is written by DuckDB: install the dev dependencies (@duckdb/node-api)',
      {
        cause,
      },
    );
  }
  const instance = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  return {
    async write(table, file) {
      // Handed over as an uncompressed parquet file of our own: DuckDB reads it in row order and writes anew.
      const source = `${file}.source.tmp`;
      await writeFile(source, writeParquetTable(table, { compression: 'none' }));
      try {
        await connection.run(
          `COPY (SELECT * FROM read_parquet(${quote(source)})) TO ${quote(`${file}.tmp`)} (FORMAT parquet, COMPRESSION snappy)`,
        );
      } finally {
        await rm(source, { force: true });
      }
      await rename(`${file}.tmp`, file);
      return table.numRows;
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
