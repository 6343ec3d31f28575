import { LIVE_CAMPAIGN_STATUSES } from '@campaigns/core';
import type { CampaignQuery } from '@campaigns/db';
import type { App } from '../app';
import { campaignListItem } from '../services/campaign-views';

type ListQuery = CampaignQuery & { limit: number; offset: number };

/** The seed's list answer: one page, `total_count` for the filter, and `rb1_count` / `rb3_count` overall. */
export async function listCampaigns(app: App, query: ListQuery) {
  return app.listCache.getOrLoad(JSON.stringify(['campaigns.list', query]), () => load(app, query));
}

async function load(app: App, query: ListQuery) {
  const status = query.status?.length ? query.status : [...LIVE_CAMPAIGN_STATUSES];
  const [page, counts] = await Promise.all([
    app.store.campaigns.summaries({ ...query, status }),
    app.store.campaigns.countByType(),
  ]);
  return {
    campaigns: page.campaigns.map((c) => campaignListItem(c, app.clock)),
    total_count: page.total,
    rb1_count: counts.RB1,
    rb3_count: counts.RB3,
  };
}
