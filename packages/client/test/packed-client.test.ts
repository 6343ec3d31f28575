// The client as a tool author outside this repository gets it: `pnpm pack`, `npm install` of the tarball into
// an empty project (offline: the package has no dependencies), `tsc` against its bundled declarations, and the
// example tool run against a running service.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiTokenFor, startTestServer, type TestServer, validIins } from '@campaigns/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from './run';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workspaceDir = path.resolve(packageDir, '../..');
const exampleDir = path.join(workspaceDir, 'examples/typescript');
// The workspace's TypeScript compiles the outside project; its Node types are the only other types it sees.
const tsc = path.join(workspaceDir, 'node_modules/typescript/bin/tsc');
const nodeTypes = path.join(workspaceDir, 'node_modules/@types');

let server: TestServer;
let token: string;
let project: string;
const iins = validIins(6);

async function typecheck(files: string[]) {
  await writeFile(
    path.join(project, 'tsconfig.build.json'),
    JSON.stringify({ extends: './tsconfig.json', compilerOptions: { typeRoots: [nodeTypes] }, files }),
  );
  return run(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: project });
}

beforeAll(async () => {
  server = await startTestServer({ blacklisted: [iins[0]!] });
  token = await apiTokenFor(server, 'marketer');
  project = await mkdtemp(path.join(tmpdir(), 'campaigns-client-consumer-'));

  const packed = await run('pnpm', ['pack', '--pack-destination', project], { cwd: packageDir });
  expect(packed.code, packed.stderr).toBe(0);
  const tarball = (await readdir(project)).find((name) => name.endsWith('.tgz'));
  expect(tarball).toBeDefined();

  await writeFile(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  const installed = await run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`],
    { cwd: project },
  );
  expect(installed.code, installed.stderr).toBe(0);
  for (const file of ['campaign-tool.ts', 'tsconfig.json']) {
    await copyFile(path.join(exampleDir, file), path.join(project, file));
  }
});

afterAll(async () => {
  await server?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

describe('@campaigns/client installed from its tarball into an empty project', () => {
  it('brings nothing but its bundle: no dependencies, no sources', async () => {
    const manifest = JSON.parse(
      await readFile(path.join(project, 'node_modules/@campaigns/client/package.json'), 'utf8'),
    );
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
    expect(await readdir(path.join(project, 'node_modules'))).toEqual(['.package-lock.json', '@campaigns']);
    expect((await readdir(path.join(project, 'node_modules/@campaigns/client/dist'))).sort()).toEqual([
      'index.d.ts',
      'index.js',
    ]);
  });

  it('type-checks the example tool against the bundled declarations (no skipLibCheck)', async () => {
    const checked = await typecheck(['campaign-tool.ts']);
    expect(checked.stdout + checked.stderr).toBe('');
    expect(checked.code).toBe(0);
  });

  it('refuses to compile a wrong input type or a misspelt error code', async () => {
    await writeFile(
      path.join(project, 'wrong-input.ts'),
      [
        "import { createCampaignClient, errorCode } from '@campaigns/client';",
        "const client = createCampaignClient({ url: 'http://127.0.0.1:9', token: 't' });",
        "await client.codes.next.query({ campaign_type: 'RB2' });",
        'await client.campaigns.get.query({ code: 12 });',
        "export const misspelt = (e: unknown) => errorCode(e) === 'CAMPAIGN.NOT_FOUD';",
        '',
      ].join('\n'),
    );
    const checked = await typecheck(['wrong-input.ts']);
    expect(checked.code).not.toBe(0);
    expect(checked.stdout.trim().split('\n')).toEqual([
      `wrong-input.ts(3,33): error TS2322: Type '"RB2"' is not assignable to type '"RB1" | "RB3"'.`,
      `wrong-input.ts(4,36): error TS2322: Type 'number' is not assignable to type 'string'.`,
      expect.stringMatching(
        /^wrong-input\.ts\(5,\d+\): error TS2367: This comparison appears to be unintentional/,
      ),
    ]);
  });

  it('runs the example tool against a running service: batched queries, SSE progress, Bearer token, codes', async () => {
    const built = await typecheck(['campaign-tool.ts']);
    expect(built.code).toBe(0);
    await writeFile(path.join(project, 'iins.txt'), `${iins.join('\n')}\n`);
    const tool = await run(process.execPath, ['out/campaign-tool.js', 'iins.txt'], {
      cwd: project,
      env: { CAMPAIGNS_URL: server.baseUrl, CAMPAIGNS_TOKEN: token },
    });
    expect(tool.stderr).toBe('');
    expect(tool.code).toBe(0);
    const report = JSON.parse(tool.stdout);

    expect(report.next_codes).toEqual([
      expect.stringMatching(/^C\d{9}$/),
      expect.stringMatching(/^C\d{9}$/),
      expect.stringMatching(/^KKB_\d{4}$/),
    ]);
    expect(report.preview.status).toBe('succeeded');
    expect(report.preview.progress.at(-1)).toBe(1);
    expect(report.preview.result).toMatchObject({ filter_stats: { initial_count: 6, final_count: 5 } });
    expect(report.created).toEqual({ code: expect.any(String), status: 'pending_approval', user_count: 5 });
    expect(report.filter_stats).toMatchObject({ initial_count: 6, blacklist_removed: 1, final_count: 5 });
    expect(report.missing_campaign_error).toBe('CAMPAIGN.NOT_FOUND');

    // The token's user is the author, as the service saw it.
    const saved = await server.app.campaigns.get(report.created.code);
    expect(saved.authorId).toBe(server.users.marketer!.id);
    expect(saved.status).toBe('pending_approval');

    // The two code queries travelled as one batched request; the progress came over the SSE stream.
    const paths = server.logLines
      .map((line) => JSON.parse(line) as { msg?: string; path?: string })
      .filter((entry) => entry.msg === 'request')
      .map((entry) => entry.path);
    expect(paths).toContain('/trpc/codes.next,codes.next');
    expect(paths).toContain('/trpc/jobs.watch');
  });
});
