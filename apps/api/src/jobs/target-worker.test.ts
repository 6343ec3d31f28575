import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validIins } from '../testing/iins';
import { pgliteDeployerInWorker } from './target-worker';

describe('the PGlite twin in a worker thread', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'api-target-worker-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('deploys, reports codes and off-limit rows, and removes, like the in-process target', async () => {
    const deployer = pgliteDeployerInWorker(dir);
    try {
      expect(await deployer.largestCodes()).toEqual({ campaignCode: null, xlsOwId: null });
      const target = Float64Array.from(validIins(50).map(Number)).sort();
      const { result, tables } = await deployer.deploy({
        code: 'C000000007',
        campaignType: 'RB1',
        xlsOwId: null,
        metadata: {
          campaign_name: 'Worker',
          channel: 'Push',
          date_start: '2026-03-01',
          date_end: '2026-03-31',
        },
        target,
        control: new Float64Array(0),
        options: { deploy_metadata: true, deploy_targeting: true, deploy_users: true, deploy_offlimit: true },
      });
      expect(result).toMatchObject({ success: true, total_users: 50, errors: [] });
      expect(tables.find((t) => t.table === 'spss.fd_rb2_campaigns_users')).toMatchObject({
        status: 'written',
        rows: 50,
      });
      expect((await deployer.largestCodes()).campaignCode).toBe('C000000007');
      expect((await deployer.offLimitIins({ dateStart: '2026-03-10', dateEnd: '2026-03-12' })).length).toBe(
        50,
      );
      expect((await deployer.remove('C000000007', 'RB1')).rows).toBe(1 + 50 * 3);
    } finally {
      await deployer.close();
    }
  });
});
