import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineProject } from 'vitest/config';

// Unit tests of the admin's logic (wizard state, message catalogs, CSV report); the svelte plugin compiles the
// runes in *.svelte.ts. Browser tests live in e2e/ and run with `pnpm test:e2e`, never here.
export default defineProject({
  plugins: [svelte()],
  resolve: {
    alias: {
      $lib: new URL('./src/lib', import.meta.url).pathname,
      '$app/navigation': new URL('./src/testing/app-navigation.ts', import.meta.url).pathname,
    },
  },
  test: {
    name: 'admin',
    include: ['src/**/*.test.ts'],
    exclude: ['e2e/**', 'node_modules/**'],
    environment: 'node',
  },
});
