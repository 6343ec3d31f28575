import { asc, eq, max } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { type DeploymentStatus, deployments } from './schema';

/** One target table's outcome in one deploy attempt. */
export interface DeploymentRecord {
  campaignId: string;
  tableName: string;
  status: DeploymentStatus;
  rows: number;
  ms: number;
  error: string | null;
  attempt: number;
  createdAt: Date;
}

export type NewDeploymentRecord = Omit<DeploymentRecord, 'createdAt'>;

const map = (row: typeof deployments.$inferSelect): DeploymentRecord => ({
  campaignId: row.campaignId,
  tableName: row.tableName,
  status: row.status,
  rows: row.rows,
  ms: row.ms,
  error: row.error,
  attempt: row.attempt,
  createdAt: row.createdAt,
});

export class DeploymentStore {
  constructor(private readonly db: StoreDatabase) {}

  async record(entries: readonly NewDeploymentRecord[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.insert(deployments).values([...entries]);
  }

  /** The number the next attempt should carry (1 for a first deploy). */
  async nextAttempt(campaignId: string): Promise<number> {
    const [row] = await this.db
      .select({ last: max(deployments.attempt) })
      .from(deployments)
      .where(eq(deployments.campaignId, campaignId));
    return (row?.last ?? 0) + 1;
  }

  /** Every attempt's per-table results, in order. */
  async listForCampaign(campaignId: string): Promise<DeploymentRecord[]> {
    const rows = await this.db
      .select()
      .from(deployments)
      .where(eq(deployments.campaignId, campaignId))
      .orderBy(asc(deployments.attempt), asc(deployments.id));
    return rows.map(map);
  }
}
