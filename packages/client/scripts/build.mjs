// Builds dist/ so that the package installs with no dependencies at all:
// - index.js: one ES module with the tRPC client and the EventSource ponyfill inside (esbuild);
// - index.d.ts: one declaration file with every type a caller meets inside, the router's procedures with their
//   input and output types included (rollup-plugin-dts), so nothing of ours or of npm is needed to type-check.
import { realpath, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
await rm(dist, { recursive: true, force: true });

await build({
  entryPoints: [`${root}src/index.ts`],
  outfile: `${dist}/index.js`,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  mainFields: ['module', 'main'],
  logLevel: 'warning',
});

// The router's root type carries the server's request context (services, store, logger: the whole server).
// A client never sees it, so the bundle gets a stand-in for that one module.
const serverContext = await realpath(`${root}node_modules/@campaigns/api/src/context.ts`);
const contextStandIn = `${root}scripts/server-context.d.ts`;

const workspaceTypes = {
  name: 'workspace-types',
  // pnpm links workspace packages into node_modules; TypeScript must see their real paths, or it calls the
  // names it meets there not portable.
  async resolveId(source, importer, options) {
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    if (!resolved || resolved.external) return resolved;
    const id = await realpath(resolved.id).catch(() => resolved.id);
    return id === serverContext ? { id: contextStandIn } : { ...resolved, id };
  },
};

const bundle = await rollup({
  input: `${root}src/index.ts`,
  // Node's modules appear only in server code that the bundle leaves out (checked below).
  external: [/^node:/],
  plugins: [
    workspaceTypes,
    dts({
      tsconfig: `${root}tsconfig.json`,
      // Inlined; anything else left as an import would fail the type check of a project without it.
      includeExternal: [
        '@campaigns/api',
        '@campaigns/core',
        '@campaigns/db',
        '@trpc/client',
        '@trpc/server',
        'eventsource',
        'zod',
      ],
    }),
  ],
});
const { output } = await bundle.write({ file: `${dist}/index.d.ts`, format: 'es' });
await bundle.close();
const imports = output.flatMap((chunk) => (chunk.type === 'chunk' ? chunk.imports : []));
if (imports.length > 0) throw new Error(`index.d.ts still imports ${imports.join(', ')}`);
