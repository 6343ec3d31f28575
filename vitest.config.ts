import { defineConfig } from 'vitest/config';

// `pnpm test` at the root runs every package's tests through these projects (then the admin browser test).
// One database server for the whole run (the embedded one, or TEST_DATABASE_URL): see the global setup.
// CI asks for a JSON report beside the console output so it can print a plain closing line of counts.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api', 'apps/admin'],
    globalSetup: ['./packages/db/src/server/test-global-setup.ts'],
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
