import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes SQL migrations for the app store into ./drizzle (committed, applied at start-up).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './drizzle',
});
