import { defineConfig } from 'vitest/config';

// `pnpm test` at the root runs every package's tests through these projects (then the admin browser test).
// CI asks for a JSON report beside the console output so it can print a plain closing line of counts.
const jsonReport = process.env.VITEST_JSON_REPORT;
// With a PostgreSQL server to use (.ci/postgres.sh sets TEST_DATABASE_URL), the API suite runs a second time with
// its store on PostgreSQL: a pool of connections finds races that the one-connection PGlite hides.
const apiOnPostgres = process.env.TEST_DATABASE_URL
  ? [
      {
        extends: './apps/api/vitest.config.ts',
        root: './apps/api',
        test: { name: 'api-postgres', env: { API_TEST_STORE: 'postgres' } },
      },
    ]
  : [];

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api', 'apps/admin', ...apiOnPostgres],
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
