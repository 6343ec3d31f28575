// Runs when TEST_DATABASE_URL points at a PostgreSQL server (CI starts one with .ci/postgres.sh).
import { describe, it } from 'vitest';
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
} else {
  describe('app store contract on PostgreSQL', () => {
    it.skip('needs TEST_DATABASE_URL (see .ci/postgres.sh)', () => {});
  });
}
