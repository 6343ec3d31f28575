import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

describe('health, the admin SPA and the webhook', () => {
  let server: TestServer;
  const adminBuild = path.join(tmpdir(), `admin-build-${process.pid}`);
  const webhookBodies: string[] = [];
  let webhookCalls = 0;
  const webhook = createServer((req, res) => {
    webhookCalls++;
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      // The first delivery fails: the notifier must retry, and the request that caused it must not wait.
      if (webhookCalls === 1) {
        res.writeHead(503).end();
        return;
      }
      webhookBodies.push(body);
      res.writeHead(204).end();
    });
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => webhook.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
    await mkdir(path.join(adminBuild, '_app'), { recursive: true });
    await writeFile(path.join(adminBuild, 'index.html'), '<!doctype html><title>Campaigns</title>');
    await writeFile(path.join(adminBuild, '_app', 'app.js'), 'console.log(1)');
    server = await startTestServer({
      missingBlacklist: true,
      env: { WEBHOOK_URL: webhookUrl, ADMIN_BUILD_DIR: adminBuild },
    });
  });
  afterAll(async () => {
    await server.close();
    webhook.close();
    await rm(adminBuild, { recursive: true, force: true });
  });

  it('reports the store, the target and the datasets on /healthz', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    const password = decodeURIComponent(new URL(server.app.store.databaseUrl).password);
    expect(password.length).toBeGreaterThan(8);
    expect(await response.clone().text()).not.toContain(password);
    expect(await json(response)).toMatchObject({
      ok: true,
      // Where the store is, never its password.
      store: `${server.app.store.location}: ok`,
      target: 'postgres: ok',
      datasets: expect.arrayContaining([
        expect.objectContaining({ name: 'ACRM_DW.RB_BLACK_LIST@ACRM', kind: 'blacklist', problem: null }),
        // The test registry names a blacklist whose file does not exist: the probe says so, with the reason.
        expect.objectContaining({
          name: 'BL_No_worker',
          status: 'skipped',
          problem: expect.stringContaining('missing-blacklist.parquet'),
        }),
      ]),
    });
  });

  it('serves the SPA: files as they are, index.html for client routes, never outside the build', async () => {
    const asset = await fetch(`${server.baseUrl}/_app/app.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const route = await fetch(`${server.baseUrl}/campaigns-ui/C000000001/edit`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>Campaigns</title>');
    const traversal = await fetch(`${server.baseUrl}/..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).toContain('<title>Campaigns</title>');
    const unknownApi = await fetch(`${server.baseUrl}/campaigns/nope/deeper`);
    expect(unknownApi.status).toBe(404);
    expect((await json(unknownApi)).code).toBe('HTTP.NOT_FOUND');
    // A page reload under /campaigns (the browser asks for HTML) gets the SPA; tools get the seed's JSON.
    const page = await fetch(`${server.baseUrl}/campaigns/C000000001`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('<title>Campaigns</title>');
    expect((await fetch(`${server.baseUrl}/campaigns/C000000001`)).status).toBe(401);
  });

  it('delivers the webhook in the background with retries', async () => {
    const marketer = await signedInBrowser(server, 'marketer');
    const response = await marketer.trpc('campaigns.create', {
      ...seedCreateRequest({ user_iins: validIins(3) }),
      filter_config: {
        blacklist_tables: ['ACRM_DW.RB_BLACK_LIST@ACRM'],
        blacklist_omissions: { BL_No_worker: 'its file is missing on this server' },
      },
      submit: true,
    });
    expect(response.status).toBe(200);
    const delivered = await eventually(
      async () => (webhookBodies.length > 0 ? webhookBodies[0] : undefined),
      15_000,
    );
    expect(JSON.parse(delivered)).toMatchObject({ event: 'campaign.submitted', campaign_code: 'C000000001' });
    expect(webhookCalls).toBeGreaterThanOrEqual(2);
    // The payload names the campaign, never the audience.
    expect(delivered).not.toContain(validIins(1)[0]);
  });
});
