import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStore } from './create-store';
import { describeStoreContract } from './store.contract';

describeStoreContract(
  'PGlite',
  () => createStore({ dataDir: 'memory://' }),
  async () => {},
);

describe('app store on PGlite in a data directory', () => {
  it('keeps its rows across restarts and applies migrations only once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'campaigns-store-'));
    try {
      const first = await createStore({ dataDir });
      const user = await first.users.create({ username: 'ana', role: 'admin', passwordHash: 'h' });
      await first.close();
      const second = await createStore({ dataDir });
      expect(await second.users.findByUsername('ana')).toEqual(user);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
