import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'core',
    include: ['src/**/*.test.ts'],
    setupFiles: ['../../vitest.fast-check.ts'],
    // The property tests take a second or two each on a quiet machine and several times that at load 10-20 (the
    // machine is shared): vitest's 5 s default failed filter-pipeline.test.ts once under load, as db and api had.
    testTimeout: 60_000,
  },
});
