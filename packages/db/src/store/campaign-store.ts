import type { CampaignMetadata, CampaignType, DeployOptions } from '@campaigns/core/rules';
import { type CampaignStatus, LIVE_CAMPAIGN_STATUSES } from '@campaigns/core/rules';
import { and, asc, count, desc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { campaigns } from './schema';

export interface Campaign {
  id: string;
  code: string;
  campaignType: CampaignType;
  xlsOwId: string | null;
  status: CampaignStatus;
  metadata: CampaignMetadata;
  filterConfig: Record<string, unknown>;
  filterStats: Record<string, number> | null;
  warnings: unknown[];
  deployOptions: DeployOptions;
  contentHash: string | null;
  authorId: string;
  idempotencyKey: string | null;
  createdAt: Date;
  updatedAt: Date;
  deployAt: Date | null;
  deployedAt: Date | null;
}

export interface NewCampaign {
  code: string;
  campaignType: CampaignType;
  xlsOwId?: string | null;
  status?: CampaignStatus;
  metadata: CampaignMetadata;
  filterConfig?: Record<string, unknown>;
  filterStats?: Record<string, number> | null;
  warnings?: unknown[];
  deployOptions?: DeployOptions;
  contentHash?: string | null;
  authorId: string;
  idempotencyKey?: string | null;
  deployAt?: Date | null;
}

export type CampaignPatch = Partial<
  Pick<
    NewCampaign,
    'metadata' | 'filterConfig' | 'filterStats' | 'warnings' | 'deployOptions' | 'contentHash' | 'deployAt'
  >
>;

/** Columns the campaign list can be ordered by (each a column of the list page). */
export const campaignSortKeys = [
  'code',
  'type',
  'name',
  'channel',
  'date_start',
  'users',
  'status',
  'created',
] as const;
export type CampaignSortKey = (typeof campaignSortKeys)[number];

export interface CampaignQuery {
  limit?: number;
  offset?: number;
  campaignType?: CampaignType | undefined;
  status?: CampaignStatus[] | undefined;
  /** The metadata's channel, exactly (`Push`, `SMS`, `POP-UP`). */
  channel?: string | undefined;
  authorId?: string | undefined;
  /** Only these codes. */
  codes?: readonly string[] | undefined;
  /** Part of the code or of the campaign name, any case; `%`, `_` and `\` match themselves. */
  search?: string | undefined;
  /** The column to order by (creation by default) and the direction (descending by default). */
  sort?: CampaignSortKey | undefined;
  order?: 'asc' | 'desc' | undefined;
}

/** One row of the campaign list: only the columns it shows (never audiences, filters or texts). */
export interface CampaignSummary {
  code: string;
  campaignType: CampaignType;
  status: CampaignStatus;
  name: string;
  stream: string;
  channel: string;
  dateStart: string;
  dateEnd: string;
  /** The final audience: target and control together. */
  finalCount: number;
  createdAt: Date;
}

const metadataText = (key: string) => sql<string>`coalesce(${campaigns.metadata}->>${key}, '')`;
const finalCount = sql<number>`coalesce((${campaigns.filterStats}->>'final_count')::numeric, 0)`;

const sortColumns: Record<CampaignSortKey, SQL> = {
  code: sql`${campaigns.code}`,
  type: sql`${campaigns.campaignType}`,
  // Lower-cased by the database's locale, then compared by code point: the same order on every server.
  name: sql`lower(${metadataText('campaign_name')}) collate "C"`,
  channel: metadataText('channel'),
  date_start: metadataText('date_start'),
  users: finalCount,
  status: sql`${campaigns.status}`,
  created: sql`${campaigns.createdAt}`,
};

function whereOf(query: CampaignQuery): SQL | undefined {
  const conditions: SQL[] = [];
  if (query.campaignType) conditions.push(eq(campaigns.campaignType, query.campaignType));
  if (query.status?.length) conditions.push(inArray(campaigns.status, query.status));
  if (query.channel) conditions.push(sql`${campaigns.metadata}->>'channel' = ${query.channel}`);
  if (query.authorId) conditions.push(eq(campaigns.authorId, query.authorId));
  if (query.codes) conditions.push(inArray(campaigns.code, [...query.codes]));
  if (query.search) {
    const pattern = containsPattern(query.search);
    conditions.push(or(ilike(campaigns.code, pattern), ilike(metadataText('campaign_name'), pattern))!);
  }
  return conditions.length ? and(...conditions) : undefined;
}

/** ORDER BY the asked column, then the code in the same direction: descending is exactly ascending reversed. */
function orderOf(query: CampaignQuery): SQL[] {
  const direction = query.order === 'asc' ? asc : desc;
  return [direction(sortColumns[query.sort ?? 'created']), direction(campaigns.code)];
}

/** An ILIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (ILIKE's escape character is `\`). */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const map = (row: typeof campaigns.$inferSelect): Campaign => ({
  id: row.id,
  code: row.code,
  campaignType: row.campaignType,
  xlsOwId: row.xlsOwId,
  status: row.status,
  metadata: row.metadata,
  filterConfig: row.filterConfig,
  filterStats: row.filterStats,
  warnings: row.warnings,
  deployOptions: row.deployOptions,
  contentHash: row.contentHash,
  authorId: row.authorId,
  idempotencyKey: row.idempotencyKey,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  deployAt: row.deployAt,
  deployedAt: row.deployedAt,
});

export class CampaignStore {
  constructor(private readonly db: StoreDatabase) {}

  /**
   * Creates a campaign. With an idempotency key, a repeat by the same author returns the first campaign
   * (`created: false`) instead of making a second one, even when both requests race.
   */
  async create(input: NewCampaign): Promise<{ campaign: Campaign; created: boolean }> {
    const [row] = await this.db
      .insert(campaigns)
      .values(input)
      .onConflictDoNothing({ target: [campaigns.authorId, campaigns.idempotencyKey] })
      .returning();
    if (row) return { campaign: map(row), created: true };
    const existing = input.idempotencyKey
      ? await this.findByIdempotencyKey(input.authorId, input.idempotencyKey)
      : null;
    if (!existing) throw new Error('campaign insert returned no row');
    return { campaign: existing, created: false };
  }

  async findById(id: string): Promise<Campaign | null> {
    const [row] = await this.db.select().from(campaigns).where(eq(campaigns.id, id));
    return row ? map(row) : null;
  }

  async findByCode(code: string): Promise<Campaign | null> {
    const [row] = await this.db.select().from(campaigns).where(eq(campaigns.code, code));
    return row ? map(row) : null;
  }

  async findByIdempotencyKey(authorId: string, key: string): Promise<Campaign | null> {
    const [row] = await this.db
      .select()
      .from(campaigns)
      .where(and(eq(campaigns.authorId, authorId), eq(campaigns.idempotencyKey, key)));
    return row ? map(row) : null;
  }

  /** One page of whole campaigns (for the workflow's own use), ordered as asked, with the filter's total. */
  async list(query: CampaignQuery = {}): Promise<{ campaigns: Campaign[]; total: number }> {
    const where = whereOf(query);
    // The total comes with the page (a window count, before LIMIT): one round trip, not two. Only a page past
    // the end has no row to carry it, and asks again.
    const rows = await this.db
      .select({ row: campaigns, total: sql<number>`count(*) over ()`.mapWith(Number) })
      .from(campaigns)
      .where(where)
      .orderBy(...orderOf(query))
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0);
    return { campaigns: rows.map((r) => map(r.row)), total: rows[0]?.total ?? (await this.#count(where)) };
  }

  /** One page of the campaign list: the summary columns only, ordered as asked, with the filter's total. */
  async summaries(query: CampaignQuery = {}): Promise<{ campaigns: CampaignSummary[]; total: number }> {
    const where = whereOf(query);
    const rows = await this.db
      .select({
        code: campaigns.code,
        campaignType: campaigns.campaignType,
        status: campaigns.status,
        name: metadataText('campaign_name'),
        stream: metadataText('stream'),
        channel: metadataText('channel'),
        dateStart: metadataText('date_start'),
        dateEnd: metadataText('date_end'),
        finalCount: finalCount.mapWith(Number),
        createdAt: campaigns.createdAt,
        total: sql<number>`count(*) over ()`.mapWith(Number),
      })
      .from(campaigns)
      .where(where)
      .orderBy(...orderOf(query))
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0);
    return {
      campaigns: rows.map(({ total: _total, ...summary }) => summary),
      total: rows[0]?.total ?? (await this.#count(where)),
    };
  }

  /**
   * The values campaigns have used for one metadata field, most used first (ties alphabetically), for the
   * form's suggestions. Empty values are left out.
   */
  async metadataValues(key: string, limit = 50): Promise<string[]> {
    const value = sql<string>`${campaigns.metadata}->>${key}`;
    const rows = await this.db
      .select({ value, uses: count() })
      .from(campaigns)
      .where(sql`coalesce(trim(${value}), '') <> ''`)
      // By position: the key is a parameter, and `->> $1` and `->> $2` are different expressions to PostgreSQL.
      .groupBy(sql`1`)
      .orderBy(sql`2 desc`, sql`1`)
      .limit(limit);
    return rows.map((r) => r.value);
  }

  async #count(where: SQL | undefined): Promise<number> {
    return (await this.db.select({ n: count() }).from(campaigns).where(where))[0]?.n ?? 0;
  }

  /** Campaigns per type, deleted ones excluded (the seed's rb1_count / rb3_count). */
  async countByType(): Promise<Record<CampaignType, number>> {
    const rows = await this.db
      .select({ type: campaigns.campaignType, n: count() })
      .from(campaigns)
      .where(inArray(campaigns.status, LIVE_CAMPAIGN_STATUSES))
      .groupBy(campaigns.campaignType);
    const counts: Record<CampaignType, number> = { RB1: 0, RB3: 0 };
    for (const row of rows) counts[row.type] = row.n;
    return counts;
  }

  async update(id: string, patch: CampaignPatch): Promise<Campaign | null> {
    const [row] = await this.db
      .update(campaigns)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(campaigns.id, id))
      .returning();
    return row ? map(row) : null;
  }

  /**
   * Compare-and-set on the status: moves to `to` only from one of `from`, so two approvers (or an edit and
   * an approval) racing cannot both win. Null when the campaign was not in one of `from`.
   */
  async transition(
    id: string,
    change: { from: readonly CampaignStatus[]; to: CampaignStatus; deployedAt?: Date },
  ): Promise<Campaign | null> {
    const [row] = await this.db
      .update(campaigns)
      .set({
        status: change.to,
        updatedAt: new Date(),
        ...(change.deployedAt ? { deployedAt: change.deployedAt } : {}),
      })
      .where(and(eq(campaigns.id, id), inArray(campaigns.status, [...change.from])))
      .returning();
    return row ? map(row) : null;
  }
}
