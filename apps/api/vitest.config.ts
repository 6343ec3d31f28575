import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'api',
    include: ['src/**/*.test.ts'],
    // Every REST answer a test receives is checked against openapi.json.
    setupFiles: ['../../vitest.fast-check.ts', 'src/testing/check-rest-responses.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    passWithNoTests: true,
  },
});
