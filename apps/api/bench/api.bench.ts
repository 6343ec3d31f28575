// `pnpm bench:api`: requests/s and p50/p99 latency of GET /campaigns/list with 1,000 campaigns stored, the
// requests split over two service processes (main.ts, as `pnpm start` runs it) on one embedded PostgreSQL server
// (autocannon, 2 x 25 connections, loopback), with the list cache on and off, beside a peer: a bare node:http
// server answering the same JSON bytes, so the figure shows what our stack (auth, store query, mapping) costs.
// Then the end-to-end time of
// POST /campaigns/create with 100,000 IINs (validate, filter over demo datasets, snapshot, deploy into the
// PostgreSQL twin on the embedded server), beside the same create without the deploy (approval on) as its peer.

import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import path from 'node:path';
import { formatIin } from '@campaigns/core';
import { DEFAULT_DEMO_SEED, generateDemoData, generateIins, seededRandom } from '@campaigns/db';
import autocannon from 'autocannon';
import { repoRoot } from '../src/env';
import { createCampaignSchema } from '../src/services/campaign-input';
import { validateMetadata } from '../src/services/campaign-metadata';
import { seedCreateRequest } from '../src/testing/seed-examples';
import { exited, startServiceProcess } from '../src/testing/service-process';
import { freshDatabase, listen, startBenchApi } from './bench-api';

const clients = 200_000;
const dataDir = path.join(repoRoot, 'data', `bench-api-${clients}`);

async function hammer(url: string, headers: Record<string, string>, connections = 50) {
  const result = await autocannon({ url, connections, duration: 10, headers });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/** 50 connections split over the instances; req/s summed, latency the worst of them. */
async function hammerAll(urls: string[], headers: Record<string, string>) {
  const parts = await Promise.all(urls.map((url) => hammer(url, headers, 50 / urls.length)));
  return {
    rps: parts.reduce((sum, p) => sum + p.rps, 0),
    p50: Math.max(...parts.map((p) => p.p50)),
    p99: Math.max(...parts.map((p) => p.p99)),
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
  };
}

/** Two service processes on the bench's DATA_DIR, sharing its embedded server. */
async function twoInstances(env: Record<string, string>) {
  const adminBuild = path.join(dataDir, 'admin');
  await mkdir(adminBuild, { recursive: true });
  await writeFile(path.join(adminBuild, 'index.html'), '<!doctype html><title>admin</title>');
  const processes: Awaited<ReturnType<typeof startServiceProcess>>[] = [];
  for (let i = 0; i < 2; i++) {
    processes.push(
      await startServiceProcess({
        DATA_DIR: dataDir,
        ADMIN_BUILD_DIR: adminBuild,
        PORT: '0',
        LOG_LEVEL: 'warn',
        ...env,
      }),
    );
  }
  return {
    urls: processes.map((p) => p.url),
    async stop() {
      for (const p of processes) p.child.kill('SIGTERM');
      await Promise.all(processes.map((p) => exited(p.child)));
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function main() {
  const database = await freshDatabase(dataDir);
  console.log(`demo datasets for ${clients} clients in ${dataDir}`);
  await generateDemoData({ dataDir, clients });
  const population = generateIins(clients, seededRandom(DEFAULT_DEMO_SEED));

  // 1. GET /campaigns/list with 1,000 campaigns stored.
  const api = await startBenchApi(dataDir, { approvalRequired: true });
  const metadata = validateMetadata('RB1', createCampaignSchema.parse(seedCreateRequest()).metadata);
  for (let i = 1; i <= 1000; i++) {
    await api.app.store.codeReservations.tryReserve('campaign_code', `C${String(i).padStart(9, '0')}`);
    if (i % 3 === 0)
      await api.app.store.codeReservations.tryReserve('xls_ow_id', `KKB_${String(i).padStart(4, '0')}`);
    await api.app.store.campaigns.create({
      code: `C${String(i).padStart(9, '0')}`,
      campaignType: i % 3 === 0 ? 'RB3' : 'RB1',
      xlsOwId: i % 3 === 0 ? `KKB_${String(i).padStart(4, '0')}` : null,
      status: 'deployed',
      metadata: { ...metadata, campaign_name: `Campaign ${i}` },
      filterStats: { initial_count: 1000, final_count: 900 },
      authorId: api.userId,
    });
  }
  const listPath = '/campaigns/list?limit=50&offset=0';
  const auth = { authorization: `Bearer ${api.token}` };
  const listBody = await (await fetch(`${api.baseUrl}${listPath}`, { headers: auth })).text();
  const figures: Record<string, Awaited<ReturnType<typeof hammerAll>>> = {};
  for (const [label, env] of [
    ['cached', {}],
    ['uncached', { LIST_CACHE_SECONDS: '0' }],
  ] as const) {
    const pair = await twoInstances(env);
    const urls = pair.urls.map((u) => `${u}${listPath}`);
    await hammerAll(urls, auth); // warm-up
    figures[label] = await hammerAll(urls, auth);
    await pair.stop();
  }
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(listBody);
  });
  const bareUrl = await listen(bare);
  const peer = await hammer(bareUrl, {});
  bare.close();
  console.log(
    `\nGET ${listPath} (1,000 campaigns stored), two service processes on one embedded PostgreSQL, autocannon 2 x 25 connections x 10 s; load average ${loadavg()[0]!.toFixed(1)}`,
  );
  for (const [label, f] of Object.entries(figures)) {
    console.log(
      `  ours, list cache ${label === 'cached' ? 'on ' : 'off'}: ${f.rps.toFixed(0)} req/s, p50 ${f.p50} ms, p99 ${f.p99} ms, errors ${f.errors}`,
    );
  }
  console.log(
    `  peer (bare node:http, one process, same bytes): ${peer.rps.toFixed(0)} req/s, p50 ${peer.p50} ms, p99 ${peer.p99} ms`,
  );
  const cached = figures.cached!;
  const uncached = figures.uncached!;
  console.log(
    `  goals: p99 < 50 ms (${cached.p99 < 50 && uncached.p99 < 50 ? 'met' : 'NOT met'}); uncached > 2,000 req/s (${uncached.rps > 2000 ? 'met' : 'NOT met'})`,
  );

  // 2. POST /campaigns/create with 100,000 IINs: without deploy (approval on) and with (approval off).
  const iins = Array.from(population.subarray(0, 100_000), (n) => formatIin(n));
  const body = JSON.stringify({
    ...seedCreateRequest({ user_iins: iins }),
    filter_config: {
      blacklist_tables: ['ACRM_DW.RB_BLACK_LIST@ACRM', 'dssb_de.dim_clients_black_list', 'BL_No_worker'],
      devices: ['android', 'iOS'],
      mau_only: true,
    },
  });
  const timeCreates = async (baseUrl: string, token: string) => {
    const times: number[] = [];
    let last: { filter_stats?: unknown; deployment_result?: { success: boolean } | null } = {};
    for (let run = 0; run < 3; run++) {
      const started = performance.now();
      const response = await fetch(`${baseUrl}/campaigns/create`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      last = (await response.json()) as typeof last;
      if (response.status !== 200)
        throw new Error(`create failed: ${response.status} ${JSON.stringify(last)}`);
      times.push(performance.now() - started);
    }
    return { ms: median(times), last };
  };
  const noDeploy = await timeCreates(api.baseUrl, api.token);
  await api.close();
  await (await freshDatabase(dataDir)).release();
  const direct = await startBenchApi(dataDir, { approvalRequired: false });
  const withDeploy = await timeCreates(direct.baseUrl, direct.token);
  await direct.close();
  console.log(
    `\nPOST /campaigns/create with 100,000 IINs (${(body.length / 1e6).toFixed(1)} MB JSON, 3 filters), median of 3`,
  );
  console.log(`  created and deployed (APPROVAL_REQUIRED=false): ${withDeploy.ms.toFixed(0)} ms`);
  console.log(`  peer, created and submitted, no deploy:        ${noDeploy.ms.toFixed(0)} ms`);
  console.log(`  filter_stats: ${JSON.stringify(withDeploy.last.filter_stats)}`);
  console.log(`  goal < 3000 ms: ${withDeploy.ms < 3000 ? 'met' : 'NOT met'}`);
  await database.release();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
