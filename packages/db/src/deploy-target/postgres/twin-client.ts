// What the PostgreSQL twin needs of a connection: queries, COPY FROM STDIN, transactions. Narrow, so a test can
// wrap it to inject faults (faulty-twin-client.ts) the way a flaky network or a constraint would.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export interface TwinQueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface TwinQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<TwinQueryResult<T>>;
  /** `COPY ... FROM STDIN`, fed the pieces in order (back-pressure respected). */
  copyFrom(sql: string, pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void>;
}

export interface TwinClient extends TwinQueryable {
  transaction<T>(work: (tx: TwinQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function over(client: pg.PoolClient | pg.Pool): TwinQueryable {
  return {
    async query<T>(sql: string, params: unknown[] = []) {
      const result = await client.query(sql, params);
      return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
    },
    async copyFrom(sql, pieces) {
      if (!('release' in client)) throw new Error('COPY needs one connection: run it inside a transaction');
      await pipeline(Readable.from(pieces, { objectMode: false }), client.query(copyFrom(sql)));
    },
  };
}

/** The twin over a node-postgres pool: each transaction on one connection of it. */
export function poolTwinClient(pool: pg.Pool): TwinClient {
  const base = over(pool);
  return {
    query: base.query,
    async copyFrom(sql, pieces) {
      await this.transaction((tx) => tx.copyFrom(sql, pieces));
    },
    async transaction(work) {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const result = await work(over(connection));
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}
