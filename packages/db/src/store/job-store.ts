import { and, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import type { JobErrorCode } from './job-error-codes';
import { type JobStatus, jobs } from './schema';

/** A job as any instance reads it. */
export interface JobRecord {
  id: string;
  kind: string;
  ownerId: string | null;
  campaignCode: string | null;
  status: JobStatus;
  /** 0..1 */
  progress: number;
  message: string;
  result: Record<string, unknown> | null;
  /** The server's English reason of a failed job, for logs and API tools. */
  error: string | null;
  /** A failed job's registered code when its error had one (UPLOAD.*, CAMPAIGN.*, ...), else null. */
  errorCode: string | null;
  /** The details that code's error carried (a line number, a limit), else null. */
  errorDetails: Record<string, unknown> | null;
  startedAt: Date;
  finishedAt: Date | null;
}

const map = (row: typeof jobs.$inferSelect): JobRecord => ({ ...row });

/** Job rows: created when the work starts, updated by whichever instance runs it. */
export class JobStore {
  constructor(private readonly db: StoreDatabase) {}

  async create(input: {
    kind: string;
    ownerId: string | null;
    campaignCode?: string | null;
    message?: string;
  }): Promise<JobRecord> {
    const [row] = await this.db
      .insert(jobs)
      .values({
        kind: input.kind,
        ownerId: input.ownerId,
        campaignCode: input.campaignCode ?? null,
        message: input.message ?? 'Started',
      })
      .returning();
    return map(row!);
  }

  /** Progress never goes back; a finished job is not changed again. */
  async update(
    id: string,
    patch: Partial<
      Pick<
        JobRecord,
        'progress' | 'message' | 'status' | 'result' | 'error' | 'errorCode' | 'errorDetails' | 'finishedAt'
      >
    >,
  ): Promise<JobRecord | null> {
    const [row] = await this.db
      .update(jobs)
      .set(patch)
      .where(and(eq(jobs.id, id), eq(jobs.status, 'running')))
      .returning();
    return row ? map(row) : null;
  }

  async findById(id: string): Promise<JobRecord | null> {
    const [row] = await this.db.select().from(jobs).where(eq(jobs.id, id));
    return row ? map(row) : null;
  }

  async list(filter: { ownerId?: string; campaignCode?: string; limit?: number } = {}): Promise<JobRecord[]> {
    const where: SQL[] = [];
    if (filter.ownerId !== undefined) where.push(eq(jobs.ownerId, filter.ownerId));
    if (filter.campaignCode !== undefined) where.push(eq(jobs.campaignCode, filter.campaignCode));
    const rows = await this.db
      .select()
      .from(jobs)
      .where(and(...where))
      .orderBy(desc(jobs.startedAt))
      .limit(filter.limit ?? 50);
    return rows.map(map);
  }

  /**
   * Marks jobs of these kinds still running since before `before` as failed: their instance died (an upload
   * or a filter takes minutes, not hours). Deploys are not among them: a takeover finishes those.
   */
  async failAbandoned(kinds: string[], before: Date, now: Date): Promise<number> {
    const rows = await this.db
      .update(jobs)
      .set({
        status: 'failed',
        error: 'Interrupted: the instance running it stopped. Start it again.',
        // A code, so the SPA words it in the reader's language rather than a generic failure.
        errorCode: 'JOB.INTERRUPTED' satisfies JobErrorCode,
        errorDetails: null,
        finishedAt: now,
      })
      .where(and(eq(jobs.status, 'running'), inArray(jobs.kind, kinds), lt(jobs.startedAt, before)))
      .returning({ id: jobs.id });
    return rows.length;
  }

  /** Removes jobs finished before `before` (clean-up). */
  async deleteFinishedBefore(before: Date): Promise<number> {
    const rows = await this.db.delete(jobs).where(lt(jobs.finishedAt, before)).returning({ id: jobs.id });
    return rows.length;
  }
}
