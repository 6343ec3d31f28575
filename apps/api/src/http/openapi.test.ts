import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from '../testing/http-client';
import { restResponseProblems } from '../testing/openapi-responses';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';
import { buildOpenApiDocument, openApiFile } from './openapi';
import { restRoutes } from './rest-routes';
import { createCampaignDocument } from './rest-schemas';

const apiDir = fileURLToPath(new URL('../..', import.meta.url));
const answer = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const at = (path: string) => new URL(`http://127.0.0.1${path}`);

describe('the OpenAPI document of the seed REST endpoints', () => {
  const env = useServerFixture();

  it('is committed as generated from the routes (pnpm --filter @campaigns/api openapi)', async () => {
    const committed = JSON.parse(await readFile(openApiFile, 'utf8'));
    expect(committed, 'apps/api/openapi.json is stale: run pnpm --filter @campaigns/api openapi').toEqual(
      buildOpenApiDocument(),
    );
  });

  it('describes every REST route, and the server serves it at /openapi.json without credentials', async () => {
    const response = await fetch(`${env.server.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    const served = await json(response);
    expect(served).toEqual(JSON.parse(await readFile(openApiFile, 'utf8')));
    const operations = Object.entries(served.paths as Record<string, object>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(restRoutes.map((r) => `${r.method} ${r.path}`).sort());
    expect(served.openapi).toBe('3.1.1');
    expect(served.components.securitySchemes.bearerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(served.paths['/campaigns/create'].post.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }),
    );
  });

  it("passes Redocly's recommended-strict lint with no problem", async () => {
    const redocly = `${apiDir}node_modules/.bin/redocly`;
    const { stdout } = await promisify(execFile)(
      redocly,
      ['lint', 'openapi.json', '--config', 'redocly.yaml', '--format=json'],
      {
        cwd: apiDir,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      },
    );
    const report = JSON.parse(stdout);
    expect(report.problems).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });

  it('documents the body the create route validates: the seed example passes, a broken one does not', () => {
    expect(createCampaignDocument.safeParse(seedCreateRequest()).success).toBe(true);
    const { campaign_type: _type, ...withoutType } = seedCreateRequest();
    expect(createCampaignDocument.safeParse(withoutType).success).toBe(false);
  });

  it('finds an answer that does not match it, and accepts one that does', async () => {
    const good = { campaign_code: 'C000000001', campaign_type: 'RB1', generated_at: '2024-01-15T10:30:00Z' };
    expect(await restResponseProblems('GET', at('/campaigns/codes/next-rb1'), answer(good))).toEqual([]);
    expect(
      await restResponseProblems('GET', at('/campaigns/codes/next-rb1'), answer({ ...good, extra: 1 })),
    ).toEqual([expect.stringContaining('must NOT have additional properties')]);
    expect(
      await restResponseProblems('GET', at('/campaigns/C000000001'), answer({ detail: 'gone' }, 404)),
    ).toEqual([expect.stringContaining("must have required property 'code'")]);
    // tRPC, pages and unknown paths are not REST answers of the document.
    expect(await restResponseProblems('GET', at('/trpc/codes.next'), answer({ any: 1 }))).toEqual([]);
  });
});

describe('every REST answer a test receives is checked', () => {
  let impostor: Server;
  let baseUrl: string;
  beforeAll(async () => {
    // A server answering a documented path with a body the document does not allow.
    impostor = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"campaign_code":12}');
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => impostor.close(() => resolve())));

  it('fails the fetch of an answer that does not match the document', async () => {
    await expect(fetch(`${baseUrl}/campaigns/codes/next-rb1`)).rejects.toThrow(
      /GET \/campaigns\/codes\/next-rb1 -> 200: \/campaign_code must be string/,
    );
  });
});
