import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openDeployTarget } from '../open-deploy-target';
import { TARGET_USERS_TABLE } from '../tables';
import { describeTargetContract, sampleIins, sampleMetadata } from '../target.contract';
import { PgliteTarget } from './pglite-target';

describeTargetContract('the PGlite twin', () => PgliteTarget.open('memory://'));

it('keeps deployed campaigns in its data directory across restarts', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'campaigns-twin-'));
  try {
    const first = await openDeployTarget({ kind: 'pglite', dataDir });
    await first.writeMetadata({ campaignCode: 'C000000001', kind: 'RB1', metadata: sampleMetadata });
    await first.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000001', iins: sampleIins(10) });
    await first.close();
    const second = await openDeployTarget({ kind: 'pglite', dataDir });
    expect((await second.getCampaign('C000000001'))?.metadata).toEqual(sampleMetadata);
    expect(await second.countRows(TARGET_USERS_TABLE, 'C000000001')).toBe(10);
    await second.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

it('writes a big table in chunks that land together or not at all, answering timers in between', async () => {
  const target = await PgliteTarget.open('memory://');
  try {
    const iins = sampleIins(100_000);
    // A row far into the list clashes with one already there: the chunks before it must roll back.
    await target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000002', iins: [iins[90_000]!] });
    await expect(
      target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000002', iins }),
    ).rejects.toThrow();
    expect(await target.countRows(TARGET_USERS_TABLE, 'C000000002')).toBe(1);

    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    await target.writeUsers(TARGET_USERS_TABLE, { campaignCode: 'C000000003', iins });
    clearInterval(ticker);
    expect(await target.countRows(TARGET_USERS_TABLE, 'C000000003')).toBe(100_000);
    // Timers ran between the chunks (one COPY would have held the event loop until the end).
    expect(ticks).toBeGreaterThan(1);
  } finally {
    await target.close();
  }
});
