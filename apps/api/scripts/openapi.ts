// Writes apps/api/openapi.json from the routes' zod schemas: `pnpm --filter @campaigns/api openapi`.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument, openApiFile } from '../src/http/openapi';

const file = fileURLToPath(openApiFile);
await writeFile(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
// In the repository's format, so `pnpm check` (biome) passes on the committed file.
execFileSync('biome', ['format', '--write', file], { stdio: 'inherit' });
console.log(`wrote ${file}`);
