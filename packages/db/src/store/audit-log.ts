import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { auditLog } from './schema';

export interface AuditEntry {
  id: number;
  at: Date;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
}

export interface NewAuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, unknown>;
}

const map = (row: typeof auditLog.$inferSelect): AuditEntry => ({
  id: row.id,
  at: row.at,
  actorId: row.actorId,
  action: row.action,
  entityType: row.entityType,
  entityId: row.entityId,
  details: row.details,
});

/** Append-only by design: this port offers append and read only, and a database trigger rejects the rest. */
export class AuditLog {
  constructor(private readonly db: StoreDatabase) {}

  async append(entry: NewAuditEntry): Promise<AuditEntry> {
    const [row] = await this.db.insert(auditLog).values(entry).returning();
    return map(row!);
  }

  /** Newest first. */
  async list(
    query: { entityType?: string; entityId?: string; actorId?: string; limit?: number; offset?: number } = {},
  ): Promise<AuditEntry[]> {
    const conditions: SQL[] = [];
    if (query.entityType) conditions.push(eq(auditLog.entityType, query.entityType));
    if (query.entityId) conditions.push(eq(auditLog.entityId, query.entityId));
    if (query.actorId) conditions.push(eq(auditLog.actorId, query.actorId));
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(auditLog.id))
      .limit(query.limit ?? 100)
      .offset(query.offset ?? 0);
    return rows.map(map);
  }
}
