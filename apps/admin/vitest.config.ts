import { defineProject } from 'vitest/config';

// Unit tests of the admin's pure logic (message catalogs, file parsing, CSV report). Browser tests live in e2e/
// and run with `pnpm test:e2e`, never here.
export default defineProject({
  test: {
    name: 'admin',
    include: ['src/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    environment: 'node',
  },
});
