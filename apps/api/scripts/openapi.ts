// Writes apps/api/openapi.json from the routes' zod schemas: `pnpm --filter @campaigns/api openapi`.
// With --check it writes nothing and fails when the committed file differs (run by `pnpm check`, so a new
// error code or route cannot land with a stale document).
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { buildOpenApiDocument, openApiFile } from '../src/http/openapi';

const file = fileURLToPath(openApiFile);
const document = buildOpenApiDocument();

if (process.argv.includes('--check')) {
  const committed: unknown = JSON.parse(await readFile(file, 'utf8'));
  // Compared as JSON values: the committed file is biome-formatted, the generated one is not.
  if (!isDeepStrictEqual(committed, JSON.parse(JSON.stringify(document)))) {
    console.error(`${file} is stale: run pnpm --filter @campaigns/api openapi and commit it`);
    process.exit(1);
  }
  console.log(`${file} is in step with the routes`);
} else {
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  // In the repository's format, so `pnpm check` (biome) passes on the committed file.
  execFileSync('biome', ['format', '--write', file], { stdio: 'inherit' });
  console.log(`wrote ${file}`);
}
