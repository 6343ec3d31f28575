// examples/python/create_campaign.py, the seed's "Backend Integration" example with Python's standard library,
// run with python3 against a running service (approval off: the create deploys at once, as the seed shows).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiTokenFor } from '../testing/api-token';
import { validIins } from '../testing/iins';
import { restResponseProblems } from '../testing/openapi-responses';
import { seedLiteralIins } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

const script = fileURLToPath(new URL('../../../../examples/python/create_campaign.py', import.meta.url));

describe('the Python example against a running service', () => {
  let server: TestServer;
  let token: string;
  let dir: string;
  const iins = validIins(4, 500);

  async function runExample(lines: string[]) {
    const file = path.join(dir, `iins-${lines.length}-${Math.random()}.txt`);
    await writeFile(file, `${lines.join('\n')}\n`);
    try {
      const { stdout, stderr } = await promisify(execFile)('python3', [script, file], {
        env: {
          ...process.env,
          CAMPAIGNS_URL: server.baseUrl,
          CAMPAIGNS_TOKEN: token,
          PYTHONDONTWRITEBYTECODE: '1',
        },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  beforeAll(async () => {
    server = await startTestServer({ approvalRequired: false, blacklisted: [iins[1]!] });
    token = await apiTokenFor(server, 'marketer');
    dir = await mkdtemp(path.join(tmpdir(), 'python-example-'));
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates an RB1 campaign from IINs with filters, deploys it, and reads its details', async () => {
    const run = await runExample(iins);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { created, details } = JSON.parse(run.stdout);
    const code: string = created.campaign_code;

    expect(created).toMatchObject({
      success: true,
      campaign_type: 'RB1',
      filter_stats: { initial_count: 4, blacklist_removed: 1, final_count: 3, total_removed: 1 },
      deployment_result: {
        campaign_code: code,
        tables_updated: [
          'dssb_ocds.mb01_camp_dict',
          'dssb_ocds.mb22_local_target',
          'spss.fd_rb2_campaigns_users',
          'spss.off_limit_campaigns_users',
        ],
        total_users: 3,
        errors: [],
        success: true,
      },
      message: `Successfully created RB1 campaign ${code}`,
    });
    expect(details).toMatchObject({
      campaign_code: code,
      campaign_name: 'New Year Promotion',
      user_count: 3,
      workflow_status: 'deployed',
      author: 'marketer',
      deployment_result: { success: true, total_users: 3 },
    });
    expect(await server.target.countRows('spss.fd_rb2_campaigns_users', code)).toBe(3);

    // What Python received is what the OpenAPI document promises.
    const answer = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    expect(
      await restResponseProblems('POST', new URL(`${server.baseUrl}/campaigns/create`), answer(created)),
    ).toEqual([]);
    expect(
      await restResponseProblems('GET', new URL(`${server.baseUrl}/campaigns/${code}`), answer(details)),
    ).toEqual([]);
  });

  it("prints the service's refusal (status, stable code, each bad row) and exits 1", async () => {
    const before = (await server.app.store.campaigns.list({ limit: 10, offset: 0 })).total;
    const run = await runExample(seedLiteralIins);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const [headline, ...issues] = run.stderr.trim().split('\n');
    expect(headline).toMatch(/^400 CAMPAIGN\.INVALID_IINS: /);
    expect(issues.map((line) => line.trim().split(':')[0])).toEqual([
      'user_iins[0]',
      'user_iins[1]',
      'user_iins[2]',
    ]);
    expect((await server.app.store.campaigns.list({ limit: 10, offset: 0 })).total).toBe(before);
  });
});
