import { and, eq, sql } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { codeReservations, type ReservationKind } from './schema';

export interface CodeReservation {
  kind: ReservationKind;
  value: string;
  campaignId: string | null;
  createdAt: Date;
}

/** Whole-shape patterns, so that odd legacy values (C12, KKB_10000) never count as the largest. */
export const reservationPatterns: Record<ReservationKind, string> = {
  campaign_code: '^C[0-9]{9}$',
  xls_ow_id: '^KKB_[0-9]{4}$',
};

const map = (row: typeof codeReservations.$inferSelect): CodeReservation => ({
  kind: row.kind,
  value: row.value,
  campaignId: row.campaignId,
  createdAt: row.createdAt,
});

/** Codes handed out by this app; the unique (kind, value) constraint is what makes allocation race-free. */
export class CodeReservationStore {
  constructor(private readonly db: StoreDatabase) {}

  /** The largest reserved value of that exact shape (fixed width, so text order is numeric order). */
  async largest(kind: ReservationKind): Promise<string | null> {
    const [row] = await this.db
      .select({ value: sql<string | null>`max(${codeReservations.value})` })
      .from(codeReservations)
      .where(
        and(eq(codeReservations.kind, kind), sql`${codeReservations.value} ~ ${reservationPatterns[kind]}`),
      );
    return row?.value ?? null;
  }

  /** True when this call reserved the value; false when someone else holds it already. */
  async tryReserve(kind: ReservationKind, value: string, campaignId: string | null = null): Promise<boolean> {
    const rows = await this.db
      .insert(codeReservations)
      .values({ kind, value, campaignId })
      .onConflictDoNothing({ target: [codeReservations.kind, codeReservations.value] })
      .returning({ id: codeReservations.id });
    return rows.length === 1;
  }

  /** Links a reservation to the campaign created with it. */
  async attach(kind: ReservationKind, value: string, campaignId: string): Promise<void> {
    await this.db
      .update(codeReservations)
      .set({ campaignId })
      .where(and(eq(codeReservations.kind, kind), eq(codeReservations.value, value)));
  }

  async find(kind: ReservationKind, value: string): Promise<CodeReservation | null> {
    const [row] = await this.db
      .select()
      .from(codeReservations)
      .where(and(eq(codeReservations.kind, kind), eq(codeReservations.value, value)));
    return row ? map(row) : null;
  }
}
