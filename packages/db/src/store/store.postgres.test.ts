// Runs when TEST_DATABASE_URL points at a PostgreSQL server (CI starts one with .ci/postgres.sh).
import { describe, expect, it } from 'vitest';
import { createStore } from './create-store';
import { describeStoreContract } from './store.contract';
import { createTempPostgresDatabase, type TempPostgresDatabase } from './temp-postgres-database';

const serverUrl = process.env.TEST_DATABASE_URL;

if (serverUrl) {
  let database: TempPostgresDatabase | undefined;
  describeStoreContract(
    'PostgreSQL',
    async () => {
      database = await createTempPostgresDatabase(serverUrl);
      return createStore({ databaseUrl: database.url });
    },
    async () => database?.drop(),
  );
  describe('app store on PostgreSQL, several instances starting at once', () => {
    it('migrates once while three instances open the same fresh database together', async () => {
      const fresh = await createTempPostgresDatabase(serverUrl);
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
} else {
  describe('app store contract on PostgreSQL', () => {
    it.skip('needs TEST_DATABASE_URL (see .ci/postgres.sh)', () => {});
  });
}
