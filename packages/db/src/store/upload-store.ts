import { and, eq, gt, lte } from 'drizzle-orm';
import { octetLength, readByteaInPieces } from './bytea-pieces';
import type { StoreDatabase } from './database';
import type { EncodedIinSnapshot } from './iin-snapshot-codec';
import { uploads } from './schema';
import type { SnapshotCodec } from './snapshot-codec';

export interface StoredUpload {
  id: string;
  ownerId: string;
  filename: string;
  count: number;
  summary: Record<string, unknown>;
  createdAt: Date;
  expiresAt: Date;
}

/** Parsed uploads, for the campaign their owner creates from them on any instance. */
export class UploadStore {
  constructor(
    private readonly db: StoreDatabase,
    /** Encodes and decodes the IINs off the caller's thread (snapshot-codec.ts). */
    private readonly codec: SnapshotCodec,
  ) {}

  async save(
    input: {
      ownerId: string;
      filename: string;
      summary: Record<string, unknown>;
      expiresAt: Date;
      /** The IINs (sorted, distinct), or already encoded (the upload worker does it off the caller's thread). */
    } & ({ iins: ArrayLike<number> } | { snapshot: EncodedIinSnapshot }),
  ): Promise<StoredUpload> {
    const encoded = 'snapshot' in input ? input.snapshot : await this.codec.encode(input.iins);
    const [row] = await this.db
      .insert(uploads)
      .values({
        ownerId: input.ownerId,
        filename: input.filename,
        count: encoded.count,
        iins: encoded.bytes,
        summary: input.summary,
        expiresAt: input.expiresAt,
      })
      .returning({
        id: uploads.id,
        ownerId: uploads.ownerId,
        filename: uploads.filename,
        count: uploads.count,
        summary: uploads.summary,
        createdAt: uploads.createdAt,
        expiresAt: uploads.expiresAt,
      });
    return row!;
  }

  /** The upload's IINs when it belongs to `ownerId` and has not expired at `now`; null otherwise. */
  async loadIins(id: string, ownerId: string, now: Date): Promise<Float64Array | null> {
    const where = and(eq(uploads.id, id), eq(uploads.ownerId, ownerId), gt(uploads.expiresAt, now));
    const [row] = await this.db
      .select({ count: uploads.count, bytes: octetLength(uploads.iins) })
      .from(uploads)
      .where(where);
    if (!row) return null;
    // Read in pieces (bytea-pieces.ts); an upload that expired and was deleted meanwhile is gone.
    const bytes = await readByteaInPieces(
      this.db,
      { table: uploads, column: uploads.iins, where },
      row.bytes,
    );
    // With the count the vector is made at its size once (without, one as long as the bytes, then a copy).
    return bytes ? await this.codec.decode(bytes, row.count, { handOver: true }) : null;
  }

  /** The upload's stored report when it belongs to `ownerId` and has not expired at `now`; null otherwise. */
  async loadSummary(id: string, ownerId: string, now: Date): Promise<Record<string, unknown> | null> {
    const [row] = await this.db
      .select({ summary: uploads.summary })
      .from(uploads)
      .where(and(eq(uploads.id, id), eq(uploads.ownerId, ownerId), gt(uploads.expiresAt, now)));
    return row?.summary ?? null;
  }

  async deleteExpired(now: Date): Promise<number> {
    const rows = await this.db
      .delete(uploads)
      .where(lte(uploads.expiresAt, now))
      .returning({ id: uploads.id });
    return rows.length;
  }
}
