import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'client',
    include: ['test/**/*.test.ts'],
    // Packing builds the bundle (esbuild + the declaration bundle of the whole router) and tsc runs twice.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
