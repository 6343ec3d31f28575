import { asc, eq } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { approvalDecisions } from './schema';

export interface ApprovalDecision {
  id: string;
  campaignId: string;
  approverId: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  contentHash: string;
  acknowledgedWarnings: boolean;
  createdAt: Date;
}

export type NewApprovalDecision = Omit<
  ApprovalDecision,
  'id' | 'createdAt' | 'comment' | 'acknowledgedWarnings'
> & {
  comment?: string | null;
  acknowledgedWarnings?: boolean;
};

const map = (row: typeof approvalDecisions.$inferSelect): ApprovalDecision => ({
  id: row.id,
  campaignId: row.campaignId,
  approverId: row.approverId,
  decision: row.decision,
  comment: row.comment,
  contentHash: row.contentHash,
  acknowledgedWarnings: row.acknowledgedWarnings,
  createdAt: row.createdAt,
});

export class ApprovalDecisionStore {
  constructor(private readonly db: StoreDatabase) {}

  async record(input: NewApprovalDecision): Promise<ApprovalDecision> {
    const [row] = await this.db.insert(approvalDecisions).values(input).returning();
    return map(row!);
  }

  /** Oldest first: the campaign's review history. */
  async listForCampaign(campaignId: string): Promise<ApprovalDecision[]> {
    const rows = await this.db
      .select()
      .from(approvalDecisions)
      .where(eq(approvalDecisions.campaignId, campaignId))
      .orderBy(asc(approvalDecisions.createdAt));
    return rows.map(map);
  }
}
