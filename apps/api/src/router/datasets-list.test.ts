import { mkdir, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, json, signedInBrowser } from '../testing/http-client';
import { startTestServer, type TestServer } from '../testing/test-server';

interface Listed {
  name: string;
  status: string;
  file_mtime: string | null;
  file_bytes: number | null;
  problem: { code: string; reason: string } | null;
}

describe('datasets.list: file time and size, and files that cannot be used', () => {
  let server: TestServer;
  let admin: Browser;
  const list = async () => (await json(await admin.trpcQuery('datasets.list'))).result.data as Listed[];
  const byName = async (name: string) => (await list()).find((d) => d.name === name)!;

  beforeAll(async () => {
    // The test registry: a real blacklist file and `BL_No_worker`, whose file does not exist.
    server = await startTestServer({ missingBlacklist: true });
    admin = await signedInBrowser(server, 'admin');
  });
  afterAll(async () => server.close());

  it('gives the file time and size of a registered file before it is ever loaded', async () => {
    const file = path.join(server.dataDir, 'blacklist.parquet');
    const when = new Date('2026-03-01T10:20:30.000Z');
    await utimes(file, when, when);
    expect(await byName('ACRM_DW.RB_BLACK_LIST@ACRM')).toMatchObject({
      status: 'not_loaded',
      file_mtime: when.toISOString(),
      file_bytes: (await stat(file)).size,
      problem: null,
    });
  });

  it('shows a missing file as skipped with the reason, not as not yet loaded', async () => {
    expect(await byName('BL_No_worker')).toMatchObject({
      status: 'skipped',
      file_mtime: null,
      file_bytes: null,
      problem: { code: 'DATASET.FILE_MISSING', reason: expect.stringContaining('missing-blacklist.parquet') },
    });
  });

  it('shows an unreadable file (here a directory in its place) as skipped with the reason', async () => {
    await mkdir(path.join(server.dataDir, 'missing-blacklist.parquet'));
    expect(await byName('BL_No_worker')).toMatchObject({
      status: 'skipped',
      problem: { code: 'DATASET.UNREADABLE', reason: 'missing-blacklist.parquet is not a file' },
    });
  });
});
