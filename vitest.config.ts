import { defineConfig } from 'vitest/config';

// `pnpm test` at the root runs every package's tests through these projects (then the admin browser test).
// CI asks for a JSON report beside the console output so it can print a plain closing line of counts.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api', 'apps/admin'],
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
