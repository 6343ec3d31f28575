// What the PostgreSQL twin needs of a connection: queries, COPY FROM STDIN, transactions. Narrow, so a test can
// wrap it to inject faults (faulty-twin-client.ts) the way a flaky network or a constraint would.
import type pg from 'pg';
import { type CopySource, copyIn } from './copy-in';

export interface TwinQueryResult<T> {
  rows: T[];
  rowCount: number;
}

export interface TwinQueryable {
  query<T>(sql: string, params?: unknown[]): Promise<TwinQueryResult<T>>;
  /** `COPY ... FROM STDIN`, its bytes written by `source` into a few reused buffers (copy-in.ts). */
  copyFrom(sql: string, source: CopySource): Promise<void>;
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
    async copyFrom(sql, source) {
      if (!('release' in client)) throw new Error('COPY needs one connection: run it inside a transaction');
      await copyIn(client, sql, source);
    },
  };
}

/** The twin over a node-postgres pool: each transaction on one connection of it. */
export function poolTwinClient(pool: pg.Pool): TwinClient {
  const base = over(pool);
  return {
    query: base.query,
    async copyFrom(sql, source) {
      await this.transaction((tx) => tx.copyFrom(sql, source));
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
