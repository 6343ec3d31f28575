// The app store's contract on PostgreSQL: a fresh database per suite on the test run's server.
import { describe, expect, it } from 'vitest';
import { createTempDatabase, createTestStore } from '../server/test-databases';
import { createStore } from './create-store';
import { describeStoreContract } from './store.contract';

describeStoreContract(
  'PostgreSQL',
  () => createTestStore(),
  async () => {},
);

describe('app store on PostgreSQL, several instances starting at once', () => {
  it('migrates once while three instances open the same fresh database together', async () => {
    const fresh = await createTempDatabase({ migrated: false });
    try {
      const stores = await Promise.all([1, 2, 3].map(() => createStore({ databaseUrl: fresh.url })));
      const user = await stores[0]!.users.create({ username: 'ana', role: 'admin', passwordHash: 'h' });
      expect(await stores[2]!.users.findById(user.id)).toEqual(user);
      for (const store of stores) await store.close();
    } finally {
      await fresh.drop();
    }
  });
});
