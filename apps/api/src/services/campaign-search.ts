import type { Campaign, CampaignStatus, Store } from '@campaigns/db';

export interface CampaignSearch {
  limit: number;
  offset: number;
  campaignType?: 'RB1' | 'RB3' | undefined;
  status: CampaignStatus[];
  authorId?: string | undefined;
  /** Part of the code or the name, any case. */
  search?: string | undefined;
  sort: 'created_desc' | 'created_asc';
}

/** `%`, `_` and `\` match literally in the searched text (ILIKE's escape character is `\`). */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * One page of campaigns matching a search over all of them, in either creation order, with the total.
 * CampaignStore.list has no search or ascending order, so this asks drizzle's query API on the store's handle
 * (its callbacks hand over the SQL operators; the api package does not depend on drizzle-orm itself).
 */
export async function searchCampaigns(
  store: Pick<Store, 'db'>,
  query: CampaignSearch,
): Promise<{ campaigns: Campaign[]; total: number }> {
  const rows = await store.db.query.campaigns.findMany({
    where: (c, { and, eq, ilike, inArray, or, sql }) =>
      and(
        inArray(c.status, query.status),
        query.campaignType ? eq(c.campaignType, query.campaignType) : undefined,
        query.authorId ? eq(c.authorId, query.authorId) : undefined,
        query.search
          ? or(
              ilike(c.code, likePattern(query.search)),
              ilike(sql`${c.metadata}->>'campaign_name'`, likePattern(query.search)),
            )
          : undefined,
      ),
    // The total before LIMIT, in the same query (a window over every matching row).
    extras: (_c, { sql }) => ({ total: sql<number>`count(*) over ()`.as('total') }),
    orderBy: (c, { asc, desc }) =>
      query.sort === 'created_asc' ? [asc(c.createdAt), asc(c.code)] : [desc(c.createdAt), desc(c.code)],
    limit: query.limit,
    offset: query.offset,
  });
  const first = rows[0];
  if (!first && query.offset > 0) {
    // Past the last page: the window had no row to count on, so count the matches on the first page.
    return { campaigns: [], total: (await searchCampaigns(store, { ...query, offset: 0, limit: 1 })).total };
  }
  return {
    campaigns: rows.map(({ total: _total, ...campaign }) => campaign),
    total: Number(first?.total ?? 0),
  };
}
