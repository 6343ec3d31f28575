import { and, desc, eq } from 'drizzle-orm';
import { octetLength, readByteaInPieces } from './bytea-pieces';
import type { StoreDatabase } from './database';
import { audienceSnapshots, type SnapshotKind } from './schema';
import type { SnapshotCodec } from './snapshot-codec';

/** A snapshot's description; the IINs themselves are loaded on demand with `loadIins`. */
export interface AudienceSnapshot {
  id: string;
  campaignId: string;
  kind: SnapshotKind;
  count: number;
  sha256: string;
  createdAt: Date;
}

const describe = {
  id: audienceSnapshots.id,
  campaignId: audienceSnapshots.campaignId,
  kind: audienceSnapshots.kind,
  count: audienceSnapshots.count,
  sha256: audienceSnapshots.sha256,
  createdAt: audienceSnapshots.createdAt,
};

const map = (row: AudienceSnapshot): AudienceSnapshot => ({ ...row });

/**
 * Immutable audiences: written once, never updated (an edit writes a new snapshot). What the approver saw,
 * identified by its sha256, is what deploys. The codec's worker encodes and decodes them, and the bytes are
 * read in pieces: a million-IIN audience is saved or loaded without holding the caller's event loop.
 */
export class AudienceSnapshotStore {
  constructor(
    private readonly db: StoreDatabase,
    private readonly codec: SnapshotCodec,
  ) {}

  async save(input: {
    campaignId: string;
    kind: SnapshotKind;
    iins: ArrayLike<number>;
  }): Promise<AudienceSnapshot> {
    const encoded = await this.codec.encode(input.iins);
    const [row] = await this.db
      .insert(audienceSnapshots)
      .values({
        campaignId: input.campaignId,
        kind: input.kind,
        count: encoded.count,
        iins: encoded.bytes,
        sha256: encoded.sha256,
      })
      .returning(describe);
    return map(row!);
  }

  /** The newest snapshot of that kind for the campaign. */
  async latest(campaignId: string, kind: SnapshotKind): Promise<AudienceSnapshot | null> {
    const [row] = await this.db
      .select(describe)
      .from(audienceSnapshots)
      .where(and(eq(audienceSnapshots.campaignId, campaignId), eq(audienceSnapshots.kind, kind)))
      .orderBy(desc(audienceSnapshots.createdAt))
      .limit(1);
    return row ? map(row) : null;
  }

  async find(id: string): Promise<AudienceSnapshot | null> {
    const [row] = await this.db.select(describe).from(audienceSnapshots).where(eq(audienceSnapshots.id, id));
    return row ? map(row) : null;
  }

  /**
   * The snapshot's IINs, sorted ascending. Its bytes are checked against the sha256 stored beside them (the hash
   * an approval binds to): bytes changed since they were saved are refused, never deployed.
   */
  async loadIins(id: string): Promise<Float64Array> {
    const where = eq(audienceSnapshots.id, id);
    const [row] = await this.db
      .select({
        count: audienceSnapshots.count,
        sha256: audienceSnapshots.sha256,
        bytes: octetLength(audienceSnapshots.iins),
      })
      .from(audienceSnapshots)
      .where(where);
    const bytes =
      row &&
      (await readByteaInPieces(
        this.db,
        { table: audienceSnapshots, column: audienceSnapshots.iins, where },
        row.bytes,
      ));
    if (!row || !bytes) throw new Error(`audience snapshot ${id} not found`);
    try {
      return await this.codec.decode(bytes, row.count, { handOver: true, sha256: row.sha256 });
    } catch (error) {
      // Which snapshot: a deploy job's error names it.
      throw new RangeError(`audience snapshot ${id}: ${(error as Error).message}`, { cause: error });
    }
  }
}
