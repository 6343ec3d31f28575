// Layering rules (docs/ARCHITECTURE.md "Packages and their rooms"), checked by `pnpm check`.
// Packages: core <- db <- api <- admin (admin reads api's types only). Inside apps/api:
// http -> router -> services -> @campaigns/db; nothing points upward.
/** Tests, test helpers and fixtures may reach across layers to set up what they test. */
const TESTS = '(\\.test|\\.contract)\\.ts$|/testing/|/fixtures/|/server/test-';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'core is the domain: no persistence, no API, no UI',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^(packages/(db|client)|apps)/|^@campaigns/(db|api|admin|client)' },
    },
    {
      name: 'db-below-the-api',
      comment: 'db knows core only; the API and the SPA sit above it',
      severity: 'error',
      from: { path: '^packages/db/' },
      to: { path: '^(apps|packages/client)/|^@campaigns/(api|admin|client)' },
    },
    {
      name: 'api-below-the-spa',
      severity: 'error',
      from: { path: '^apps/api/' },
      to: { path: '^(apps/admin|packages/client)/|^@campaigns/(admin|client)' },
    },
    {
      name: 'spa-reads-api-types-only',
      comment: 'the SPA imports the router type for its tRPC client, never server code',
      severity: 'error',
      from: { path: '^apps/admin/' },
      to: { path: '^(apps/api|packages/db)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'services-below-router-and-http',
      comment: 'services are called by the router and the REST routes; they never call them back',
      severity: 'error',
      from: { path: '^apps/api/src/services/', pathNot: TESTS },
      to: { path: '^apps/api/src/(router|http)/|^apps/api/src/(app|main|cli)\\.ts$' },
    },
    {
      name: 'router-below-http',
      comment:
        'procedures may name the App type (what a request can reach), never the HTTP layer or the boot',
      severity: 'error',
      from: { path: '^apps/api/src/router/', pathNot: TESTS },
      to: { path: '^apps/api/src/http/|^apps/api/src/(main|cli)\\.ts$' },
    },
    {
      name: 'router-uses-app-type-only',
      severity: 'error',
      from: { path: '^apps/api/src/router/', pathNot: TESTS },
      to: { path: '^apps/api/src/app\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'auth-and-jobs-below-router-and-http',
      severity: 'error',
      from: { path: '^apps/api/src/(auth|jobs)/', pathNot: TESTS },
      to: { path: '^apps/api/src/(router|http)/|^apps/api/src/(app|main|cli)\\.ts$' },
    },
    {
      name: 'product-code-never-imports-tests',
      comment: 'test helpers (testing/, *.test.ts, *.contract.ts) are for tests and benches only',
      severity: 'error',
      from: { path: '^(apps|packages)/[^/]+/src/', pathNot: TESTS },
      to: { path: '(\\.test|\\.contract)\\.ts$|^apps/api/src/testing/|^packages/db/src/server/test-' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycle that runs: a cycle through type-only imports is erased at build time',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|\\.svelte-kit|build|dist)/|\\.svelte$' },
    tsPreCompilationDeps: true,
    combinedDependencies: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js'],
    },
  },
};
