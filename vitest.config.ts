import { defineConfig } from 'vitest/config';

// `pnpm test` at the root runs every package's tests through these projects.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/api', 'apps/admin'],
  },
});
