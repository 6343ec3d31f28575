/** One audit entry: who (actor), what (action on an entity), and the facts worth keeping (details). */
export interface AuditEntry {
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown>;
}

/** Where every state change and sign-in is written (append-only in the store). */
export interface AuditTrail {
  record(entry: AuditEntry): Promise<void>;
}
