// An internal tool on @campaigns/client: previews an audience as a job (progress over SSE), creates an RB1
// campaign from it and submits it for approval, reads it back, and shows a refused call's stable code.
//
//   CAMPAIGNS_URL=http://127.0.0.1:3000 CAMPAIGNS_TOKEN=... node campaign-tool.js iins.txt
//
// iins.txt: one IIN per line. Prints one JSON object with what it did.
import { readFile } from 'node:fs/promises';
import { createCampaignClient, errorCode, type RouterOutputs } from '@campaigns/client';

type Job = RouterOutputs['jobs']['get'];

const url = process.env.CAMPAIGNS_URL;
const token = process.env.CAMPAIGNS_TOKEN;
const iinFile = process.argv[2];
if (!url || !token || !iinFile) {
  console.error('usage: CAMPAIGNS_URL=... CAMPAIGNS_TOKEN=... node campaign-tool.js <iins.txt>');
  process.exit(2);
}

const client = createCampaignClient({ url, token });
const userIins = (await readFile(iinFile, 'utf8')).split(/\r?\n/).filter((line) => line.trim() !== '');
const filterConfig = { blacklist_tables: ['ACRM_DW.RB_BLACK_LIST@ACRM'], mau_only: false };

// Two queries in the same tick: one HTTP request (batching).
const [nextRb1, nextRb3] = await Promise.all([
  client.codes.next.query({ campaign_type: 'RB1' }),
  client.codes.next.query({ campaign_type: 'RB3' }),
]);

// The funnel as a job; its progress arrives over Server-Sent Events until it finishes.
const { job } = await client.audiences.previewJob.mutate({
  user_iins: userIins,
  filter_config: filterConfig,
  campaign_type: 'RB1',
});
const progress: number[] = [];
const finished = await new Promise<Job>((resolve, reject) => {
  const subscription = client.jobs.watch.subscribe(
    { id: job.id },
    {
      onData(state) {
        progress.push(state.progress);
        if (state.status !== 'running') {
          subscription.unsubscribe();
          resolve(state);
        }
      },
      onError: reject,
    },
  );
});

const created = await client.campaigns.create.mutate({
  campaign_type: 'RB1',
  metadata: {
    campaign_name: 'Spring Marketing Campaign',
    campaign_desc: 'Promote spring products',
    stream: 'market',
    sub_stream: 'seasonal',
    target_action: 'purchase',
    channel: 'Push',
    campaign_type: 'promotion',
    campaign_text: 'Check out our spring collection!',
    campaign_text_kz: 'Көктемгі коллекциямызды қараңыз!',
    short_desc: 'Spring promo',
    date_start: '2024-03-01',
    date_end: '2024-03-31',
    out_date: '2024-03-02',
    camp_cnt: '50000',
  },
  user_iins: userIins,
  filter_config: filterConfig,
  submit: true,
});
const code = created.campaign.campaign_code;
const details = await client.campaigns.get.query({ code });

// A refused call carries the service's stable code.
const missing = await client.campaigns.get.query({ code: 'C999999999' }).then(
  () => null,
  (error: unknown) => errorCode(error),
);

console.log(
  JSON.stringify({
    next_codes: [nextRb1.campaign_code, nextRb3.campaign_code, nextRb3.xls_ow_id],
    preview: { status: finished.status, progress, result: finished.result },
    created: { code, status: details.workflow_status, user_count: details.user_count },
    filter_stats: details.filter_stats,
    missing_campaign_error: missing,
  }),
);
