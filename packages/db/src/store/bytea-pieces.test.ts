import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { customType, integer, pgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../server/test-databases';
import { octetLength, readByteaInPieces } from './bytea-pieces';
import type { StoreDatabase } from './database';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
const blobs = pgTable('blobs', { id: integer('id').primaryKey(), value: bytea('value').notNull() });

let database: TempDatabase;
let pool: pg.Pool;
let db: StoreDatabase;
/** The statements sent, as drizzle logs them: how many pieces a read took. */
const sent: string[] = [];

beforeAll(async () => {
  database = await createTempDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: database.url });
  await pool.query('CREATE TABLE blobs (id integer PRIMARY KEY, value bytea NOT NULL)');
  db = drizzle(pool, { logger: { logQuery: (query) => void sent.push(query) } }) as unknown as StoreDatabase;
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('bytea read in pieces (issue 13, item 3: no answer the API thread parses in one long turn)', () => {
  it('gives back every byte, one query per piece, whatever the length against the piece size', async () => {
    const pieceBytes = 1000;
    for (const [id, length] of [0, 1, 999, 1000, 1001, 10_500].entries()) {
      const value = Uint8Array.from({ length }, (_, i) => (i * 7 + id) % 256);
      await pool.query('INSERT INTO blobs (id, value) VALUES ($1, $2)', [id, Buffer.from(value)]);
      const where = eq(blobs.id, id);
      const [row] = await db
        .select({ bytes: octetLength(blobs.value) })
        .from(blobs)
        .where(where);
      expect(row?.bytes).toBe(length);
      sent.length = 0;
      const read = await readByteaInPieces(
        db,
        { table: blobs, column: blobs.value, where },
        length,
        pieceBytes,
      );
      expect(read).toEqual(value);
      expect(sent).toHaveLength(Math.ceil(length / pieceBytes));
      expect(sent.every((query) => query.includes('substring('))).toBe(true);
    }
  });

  it('answers null when the row is gone before its pieces are read', async () => {
    const where = eq(blobs.id, 999);
    expect(await readByteaInPieces(db, { table: blobs, column: blobs.value, where }, 10, 4)).toBeNull();
  });
});
