import { request as httpRequest } from 'node:http';
import { zipBombXlsx } from '@campaigns/db/upload-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../router/root';
import { apiTokenFor } from '../testing/api-token';
import { Browser, eventually, json } from '../testing/http-client';
import { startTestServer, type TestServer } from '../testing/test-server';
import { anonymousBodyLimit, defaultBodyLimit, largeBodyLimit, namedProcedures } from './body-limits';

// Issue 13, "Availability": no body is read before its caller is known, and none beyond its route's limit.

interface Answer {
  status: number;
  body: unknown;
  /** Bytes of the body we had sent when the answer arrived. */
  sentWhenAnswered: number;
}

/**
 * Sends headers declaring `declared` bytes (or chunked when null) and then only `send` bytes, without ending the
 * request: an answer proves the server decided without waiting for (or reading) the rest.
 */
function partialPost(
  server: TestServer,
  path: string,
  options: { declared: number | null; send: number; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const req = httpRequest(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: server.origin,
        ...(options.declared === null ? {} : { 'content-length': String(options.declared) }),
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      const sentWhenAnswered = sent;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        req.destroy();
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
          sentWhenAnswered,
        });
      });
    });
    req.on('error', (error) => {
      if (!req.destroyed) reject(error);
    });
    const piece = Buffer.alloc(16 * 1024, 0x20); // spaces: whatever is read is valid JSON padding
    const pump = () => {
      while (sent < options.send) {
        sent += piece.length;
        if (!req.write(piece)) {
          req.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

describe('request bodies: authenticated first, bounded per route, 413 when over', () => {
  let server: TestServer;
  let marketer: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    marketer = new Browser(server);
    expect((await marketer.login('marketer')).status).toBe(200);
  });
  afterAll(async () => server.close());

  it('an anonymous 31 MB post to a procedure that needs a caller is answered 401 without reading it', async () => {
    const answer = await partialPost(server, '/trpc/campaigns.create', {
      declared: 31 << 20,
      send: 64 << 10,
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { data: { code: 'UNAUTHORIZED' } } });
    expect(answer.sentWhenAnswered).toBeLessThan(1 << 20);
  });

  it('a sign-in body over a few KB is a 413, declared or streamed', async () => {
    const declared = await partialPost(server, '/trpc/auth.login', { declared: 31 << 20, send: 16 << 10 });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({
      error: { data: { code: 'PAYLOAD_TOO_LARGE', path: 'auth.login' } },
    });
    const streamed = await partialPost(server, '/trpc/auth.login', { declared: null, send: 512 << 10 });
    expect(streamed.status).toBe(413);
    expect(anonymousBodyLimit).toBeLessThanOrEqual(16 << 10);
  });

  it('a signed-in call is bounded by its procedure: 1 MB for most, more only where IIN lists travel', async () => {
    const headers = { cookie: marketer.cookie! };
    const small = await partialPost(server, '/trpc/notifications.markRead', {
      declared: defaultBodyLimit + 1,
      send: 16 << 10,
      headers,
    });
    expect(small.status).toBe(413);
    const batch = await partialPost(server, '/trpc/notifications.markRead,campaigns.submit?batch=1', {
      declared: null,
      send: defaultBodyLimit + (64 << 10),
      headers,
    });
    expect(batch.status).toBe(413);
    expect(batch.body).toMatchObject([
      { error: { data: { code: 'PAYLOAD_TOO_LARGE' } } },
      { error: { data: { code: 'PAYLOAD_TOO_LARGE' } } },
    ]);
    const large = await partialPost(server, '/trpc/campaigns.create', {
      declared: largeBodyLimit + 1,
      send: 16 << 10,
      headers,
    });
    expect(large.status).toBe(413);
  });

  it('an over-size REST body is a 413 (it was a 400), and an anonymous one a 401 unread', async () => {
    const anonymous = await partialPost(server, '/campaigns/create', { declared: 31 << 20, send: 64 << 10 });
    expect(anonymous.status).toBe(401);
    const token = await apiTokenFor(server, 'marketer');
    const big = await partialPost(server, '/campaigns/create', {
      declared: largeBodyLimit + 1,
      send: 16 << 10,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'REQUEST.TOO_LARGE' });
  });

  it('the server keeps answering after the refused bodies', async () => {
    const me = await marketer.trpcQuery('auth.me');
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ result: { data: { username: 'marketer' } } });
  });

  it('the zip-bomb workbook (0.41 MB holding a 400 MB cell) fails fast with a clear error, nothing kept', async () => {
    const started = await json(
      await marketer.trpc('audiences.upload', {
        filename: 'bomb.xlsx',
        content_base64: Buffer.from(zipBombXlsx()).toString('base64'),
      }),
    );
    const id = started.result.data.job.id as string;
    const job = await eventually(async () => {
      const view = (await json(await marketer.trpcQuery('jobs.get', { id }))).result.data;
      return view.status === 'running' ? undefined : view;
    });
    expect(job).toMatchObject({ status: 'failed', result: null });
    expect(job.error).toMatch(/holds more than 128 KB of text/);
    const mine = await marketer.trpcQuery('jobs.mine');
    expect(mine.status).toBe(200);
    expect((await mine.text()).length).toBeLessThan(64 * 1024);
  });

  it('job answers hold bounded samples: 1,000 rows of a report in the job, none in jobs.mine', async () => {
    const bad = Array.from({ length: 1500 }, (_, i) => String(100_000 + i)); // 6 digits: rejected rows
    const started = await json(
      await marketer.trpc('audiences.upload', {
        filename: 'bad.csv',
        content_base64: Buffer.from(`iin\n${bad.join('\n')}\n`).toString('base64'),
      }),
    );
    const id = started.result.data.job.id as string;
    const job = await eventually(async () => {
      const view = (await json(await marketer.trpcQuery('jobs.get', { id }))).result.data;
      return view.status === 'running' ? undefined : view;
    });
    expect(job.result).toMatchObject({ rejected_count: 1500, rejected_listed: 1500, accepted: 0 });
    expect(job.result.rejected).toHaveLength(1000);
    expect(job.result.rejected[999]).toMatchObject({ row: 1001, reason: 'length' });
    const mine = (await json(await marketer.trpcQuery('jobs.mine'))).result.data as Array<
      Record<string, unknown>
    >;
    expect(mine.find((j) => j.id === id)).toMatchObject({ has_result: true });
    expect(mine.every((j) => !('result' in j))).toBe(true);
    // The rest is paged from the stored report, for its owner only.
    const page = await marketer.trpcQuery('uploads.rows', {
      upload_id: job.result.upload_id,
      list: 'rejected',
      offset: 1000,
      limit: 1000,
    });
    const rows = (await json(page)).result.data;
    expect(rows).toMatchObject({ list: 'rejected', listed: 1500, total: 1500, offset: 1000 });
    expect(rows.rows).toHaveLength(500);
    expect(rows.rows[0]).toMatchObject({ row: 1002, reason: 'length' });
    const other = new Browser(server);
    await other.login('marketer2');
    const refused = await other.trpcQuery('uploads.rows', {
      upload_id: job.result.upload_id,
      list: 'rejected',
    });
    expect(refused.status).toBe(404);
  });

  it('every procedure the limits name exists in the router', () => {
    const known = new Set(Object.keys(appRouter._def.procedures));
    expect(namedProcedures.filter((p) => !known.has(p))).toEqual([]);
  });
});
