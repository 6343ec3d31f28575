// Layering rules (docs/ARCHITECTURE.md "Packages and their rooms"), checked by `pnpm check`.
// Packages: core <- db <- api <- admin (admin reads api's types only). Inside apps/api:
// http -> router -> services -> @campaigns/db; nothing points upward.
/** Tests, test helpers and fixtures may reach across layers to set up what they test. */
const TESTS =
  '(\\.test|\\.contract)\\.ts$|/testing/|/fixtures/|/server/test-|^packages/core/src/testing\\.ts$';

/** Every rule is an error: a warning nobody reads is no rule. */
const forbid = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });
const notTests = (path) => ({ path, pathNot: TESTS });

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid(
      'core-is-pure',
      'core is the domain: no persistence, no API, no UI',
      { path: '^packages/core/' },
      { path: '^(packages/(db|client)|apps)/|^@campaigns/(db|api|admin|client)' },
    ),
    forbid(
      'db-below-the-api',
      'db knows core only; the API and the SPA sit above it',
      { path: '^packages/db/' },
      { path: '^(apps|packages/client)/|^@campaigns/(api|admin|client)' },
    ),
    forbid(
      'api-below-the-spa',
      'the API never imports the SPA or the published client',
      { path: '^apps/api/' },
      { path: '^(apps/admin|packages/client)/|^@campaigns/(admin|client)' },
    ),
    forbid(
      'spa-reads-api-types-only',
      'the SPA imports the router type for its tRPC client, never server code',
      { path: '^apps/admin/' },
      { path: '^(apps/api|packages/db)/', dependencyTypesNot: ['type-only'] },
    ),
    forbid(
      'services-below-router-and-http',
      'services are called by the router and the REST routes; they never call them back',
      notTests('^apps/api/src/services/'),
      { path: '^apps/api/src/(router|http)/|^apps/api/src/(app|main|cli)\\.ts$' },
    ),
    forbid(
      'router-below-http',
      'procedures may name the App type (what a request can reach), never the HTTP layer or the boot',
      notTests('^apps/api/src/router/'),
      { path: '^apps/api/src/http/|^apps/api/src/(main|cli)\\.ts$' },
    ),
    forbid(
      'router-uses-app-type-only',
      'the router reaches the services through the App it is given, never by building one',
      notTests('^apps/api/src/router/'),
      { path: '^apps/api/src/app\\.ts$', dependencyTypesNot: ['type-only'] },
    ),
    forbid(
      'auth-and-jobs-below-router-and-http',
      'auth and job handlers are services too',
      notTests('^apps/api/src/(auth|jobs)/'),
      { path: '^apps/api/src/(router|http)/|^apps/api/src/(app|main|cli)\\.ts$' },
    ),
    forbid(
      'product-code-never-imports-tests',
      'test helpers (testing/, *.test.ts, *.contract.ts, @campaigns/core/testing) are for tests and benches only',
      notTests('^(apps|packages)/[^/]+/src/'),
      {
        path: '(\\.test|\\.contract)\\.ts$|^apps/api/src/testing/|^packages/db/src/server/test-|^packages/core/src/testing\\.ts$',
      },
    ),
    forbid(
      'password-dictionaries-in-their-worker',
      "zxcvbn's dictionaries (~31 MB of objects) stay off the API's thread, where every major GC marks them: only the password worker loads them (biome's noRestrictedImports keeps @zxcvbn-ts in password-strength.ts)",
      { path: '^apps/', pathNot: '^apps/api/src/auth/password-worker-entry\\.ts$' },
      { path: '^apps/api/src/auth/password-strength\\.ts$', dependencyTypesNot: ['type-only'] },
    ),
    forbid(
      'no-circular',
      'no import cycle that runs: a cycle through type-only imports is erased at build time',
      {},
      { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    ),
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
