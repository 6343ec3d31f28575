// The peer for `pnpm bench:filter`: the same five seed filters in DuckDB SQL over the same parquet files and
// registry, one MATERIALIZED step per filter so every stat is counted once.
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DatasetRegistry, RegistryEntry } from '../src/index';

export interface BenchFilterConfig {
  blacklist_tables: string[];
  devices: string[];
  push_streams: string[];
  mau_only: boolean;
  products: string[];
}

export type StepCounts = Record<
  'initial_count' | 'after_blacklist' | 'after_device' | 'after_push' | 'after_mau' | 'after_product',
  number
>;

const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

function source(dataDir: string, entry: RegistryEntry, withValue: boolean): string {
  const file = quote(path.resolve(dataDir, entry.file));
  const value = withValue ? `, ${ident(entry.value_column!)} AS v` : '';
  // TRY_CAST: text IINs ('050505500012') and int64 IINs become the same BIGINT.
  return `SELECT TRY_CAST(${ident(entry.iin_column)} AS BIGINT) AS iin${value} FROM read_parquet(${file})`;
}

function firstOfKind(registry: DatasetRegistry, kind: RegistryEntry['kind']): RegistryEntry {
  const entry = Object.values(registry).find((e) => e.kind === kind);
  if (!entry) throw new Error(`no ${kind} dataset in the registry`);
  return entry;
}

export function pipelineSql(dataDir: string, registry: DatasetRegistry, config: BenchFilterConfig): string {
  const list = (values: string[]) => values.map(quote).join(', ');
  const blacklists = config.blacklist_tables
    .map((name) => source(dataDir, registry[name]!, false))
    .join(' UNION ALL ');
  const holders = (kind: RegistryEntry['kind'], values: string[]) =>
    `SELECT iin FROM (${source(dataDir, firstOfKind(registry, kind), true)}) WHERE v IN (${list(values)})`;
  return `
WITH inp AS MATERIALIZED (SELECT DISTINCT iin FROM input),
s_blacklist AS MATERIALIZED (SELECT iin FROM inp ANTI JOIN (${blacklists}) b USING (iin)),
s_device AS MATERIALIZED (SELECT iin FROM s_blacklist SEMI JOIN (${holders('device', config.devices)}) d USING (iin)),
s_push AS MATERIALIZED (SELECT iin FROM s_device SEMI JOIN (${holders('push', config.push_streams)}) p USING (iin)),
s_mau AS MATERIALIZED (SELECT iin FROM s_push SEMI JOIN (${source(dataDir, firstOfKind(registry, 'mau'), false)}) m USING (iin)),
s_product AS MATERIALIZED (SELECT iin FROM s_mau SEMI JOIN (${holders('product', config.products)}) q USING (iin))
SELECT
  (SELECT count(*) FROM inp) AS initial_count,
  (SELECT count(*) FROM s_blacklist) AS after_blacklist,
  (SELECT count(*) FROM s_device) AS after_device,
  (SELECT count(*) FROM s_push) AS after_push,
  (SELECT count(*) FROM s_mau) AS after_mau,
  (SELECT count(*) FROM s_product) AS after_product`;
}

export interface DuckRunner {
  run(): Promise<StepCounts>;
  threads(): Promise<number>;
  csvRows(file: string): Promise<number>;
  close(): void;
}

/** An in-memory DuckDB with the input list loaded as a table (before timing, as our input is an array). */
export async function duckRunner(
  dataDir: string,
  registry: DatasetRegistry,
  config: BenchFilterConfig,
  inputFile: string,
): Promise<DuckRunner> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `CREATE TABLE input AS SELECT CAST(iin AS BIGINT) AS iin FROM read_parquet(${quote(inputFile)})`,
  );
  const sql = pipelineSql(dataDir, registry, config);
  return {
    async run() {
      const reader = await connection.runAndReadAll(sql);
      const row = reader.getRowObjectsJS()[0]!;
      return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as StepCounts;
    },
    async threads() {
      const reader = await connection.runAndReadAll("SELECT current_setting('threads') AS t");
      return Number(reader.getRowObjectsJS()[0]!.t);
    },
    async csvRows(file: string) {
      const reader = await connection.runAndReadAll(
        `SELECT count(*) AS n FROM read_csv(${quote(file)}, header = true, all_varchar = true)`,
      );
      return Number(reader.getRowObjectsJS()[0]!.n);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
