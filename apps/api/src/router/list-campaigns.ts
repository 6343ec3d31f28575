import type { CampaignType } from '@campaigns/core';
import { type CampaignStatus, liveCampaignStatuses } from '@campaigns/db';
import type { App } from '../app';
import { campaignListItem } from '../services/campaign-views';

interface ListQuery {
  limit: number;
  offset: number;
  campaignType?: CampaignType | undefined;
  status?: CampaignStatus[] | undefined;
  authorId?: string | undefined;
  search?: string | undefined;
  sort?: 'created_desc' | 'created_asc' | undefined;
}

/** The seed's list answer: one page, `total_count` for the filter, and `rb1_count` / `rb3_count` overall. */
export async function listCampaigns(app: App, query: ListQuery) {
  return app.listCache.getOrLoad(JSON.stringify(['campaigns.list', query]), () => load(app, query));
}

async function load(app: App, query: ListQuery) {
  const status = query.status?.length ? query.status : [...liveCampaignStatuses];
  const [page, counts] = await Promise.all([
    app.store.campaigns.list({
      limit: query.limit,
      offset: query.offset,
      campaignType: query.campaignType,
      status,
      authorId: query.authorId,
      search: query.search,
      sort: query.sort,
    }),
    app.store.campaigns.countByType(),
  ]);
  return {
    campaigns: page.campaigns.map((c) => campaignListItem(c, app.clock)),
    total_count: page.total,
    rb1_count: counts.RB1,
    rb3_count: counts.RB3,
  };
}
