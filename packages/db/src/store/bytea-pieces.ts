// Reads a bytea value in bounded pieces. node-postgres receives bytea as hex text: a 2 MB audience snapshot is a
// 4 MB answer that the API thread parses, holds as a 4 MB string and decodes in one turn of its event loop (85 to
// 134 ms measured in `pnpm bench:api`'s create + deploy, issue 13 item 3). Read 256 KiB at a time, each answer
// takes about a millisecond and the loop turns between them.
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { StoreDatabase } from './database';

/** Bytes per piece: a 512 KiB answer in hex. */
export const byteaPieceBytes = 256 * 1024;

export interface ByteaSource {
  table: PgTable;
  column: PgColumn;
  /** Selects the one row that holds the value. */
  where: SQL | undefined;
}

/** The value's length in bytes, for a select beside the row's other columns. */
export function octetLength(column: PgColumn): SQL<number> {
  return sql<number>`octet_length(${column})`.mapWith(Number);
}

/**
 * The value of `length` bytes (its octetLength), read piece by piece into one buffer of its own; null when
 * the row is gone meanwhile (an expired upload deleted between two pieces).
 */
export async function readByteaInPieces(
  db: StoreDatabase,
  source: ByteaSource,
  length: number,
  pieceBytes = byteaPieceBytes,
): Promise<Uint8Array | null> {
  const value = new Uint8Array(length);
  for (let at = 0; at < length; at += pieceBytes) {
    const [row] = await db
      .select({
        piece: sql<Uint8Array>`substring(${source.column} from ${at + 1}::int for ${pieceBytes}::int)`,
      })
      .from(source.table)
      .where(source.where);
    if (!row) return null;
    const expected = Math.min(pieceBytes, length - at);
    if (row.piece.byteLength !== expected) {
      throw new Error(
        `bytea value changed while read: ${row.piece.byteLength} bytes at ${at}, expected ${expected}`,
      );
    }
    value.set(row.piece, at);
  }
  return value;
}
