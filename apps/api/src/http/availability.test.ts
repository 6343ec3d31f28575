import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { zipBombXlsx } from '@campaigns/db/upload-fixtures';
import { describe, expect, it } from 'vitest';
import { appRouter } from '../router/root';
import { bearerRequest, eventually, json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';
import type { TestServer } from '../testing/test-server';
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

/**
 * A raw client that declares `declared` bytes (as the length, or as one chunk), writes `send` of them at once and reads nothing for `readAfterMs`
 * (as a client busy sending does), then reads: what the socket gave, or the error that ended it first.
 */
function busySender(
  server: TestServer,
  path: string,
  options: { declared: number; chunked?: boolean; send: number; readAfterMs: number },
): Promise<{ text: string; error: string | null }> {
  return new Promise((resolve) => {
    const { hostname, host } = new URL(server.baseUrl);
    const socket = connect({ host: hostname, port: Number(new URL(server.baseUrl).port) });
    socket.pause();
    const chunks: Buffer[] = [];
    let error: string | null = null;
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString('latin1'), error }));
    socket.on('connect', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nOrigin: ${server.origin}\r\n` +
          'Content-Type: application/json\r\n' +
          (options.chunked
            ? `Transfer-Encoding: chunked\r\n\r\n${options.declared.toString(16)}\r\n`
            : `Content-Length: ${options.declared}\r\n\r\n`),
      );
      socket.write(Buffer.alloc(options.send, 0x20));
      setTimeout(() => {
        socket.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (chunks.length === 1) setTimeout(() => socket.destroy(), 50);
        });
        socket.resume();
      }, options.readAfterMs);
    });
  });
}

describe('request bodies: authenticated first, bounded per route, 413 when over', () => {
  const env = useServerFixture();

  it('an anonymous 31 MB post to a procedure that needs a caller is answered 401 without reading it', async () => {
    const answer = await partialPost(env.server, '/trpc/campaigns.create', {
      declared: 31 << 20,
      send: 64 << 10,
    });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { data: { code: 'UNAUTHORIZED' } } });
    expect(answer.sentWhenAnswered).toBeLessThan(1 << 20);
  });

  it('a sign-in body over a few KB is a 413, declared or streamed', async () => {
    const declared = await partialPost(env.server, '/trpc/auth.login', {
      declared: 31 << 20,
      send: 16 << 10,
    });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({
      error: { data: { code: 'PAYLOAD_TOO_LARGE', path: 'auth.login' } },
    });
    const streamed = await partialPost(env.server, '/trpc/auth.login', { declared: null, send: 512 << 10 });
    expect(streamed.status).toBe(413);
    expect(anonymousBodyLimit).toBeLessThanOrEqual(16 << 10);
  });

  it('a signed-in call is bounded by its procedure: 1 MB for most, more only where IIN lists travel', async () => {
    const headers = { cookie: env.marketer.cookie! };
    const small = await partialPost(env.server, '/trpc/notifications.markRead', {
      declared: defaultBodyLimit + 1,
      send: 16 << 10,
      headers,
    });
    expect(small.status).toBe(413);
    const batch = await partialPost(env.server, '/trpc/notifications.markRead,campaigns.submit?batch=1', {
      declared: null,
      send: defaultBodyLimit + (64 << 10),
      headers,
    });
    expect(batch.status).toBe(413);
    expect(batch.body).toMatchObject([
      { error: { data: { code: 'PAYLOAD_TOO_LARGE' } } },
      { error: { data: { code: 'PAYLOAD_TOO_LARGE' } } },
    ]);
    const large = await partialPost(env.server, '/trpc/campaigns.create', {
      declared: largeBodyLimit + 1,
      send: 16 << 10,
      headers,
    });
    expect(large.status).toBe(413);
  });

  it('an over-size REST body is a 413 (it was a 400), and an anonymous one a 401 unread', async () => {
    const anonymous = await partialPost(env.server, '/campaigns/create', {
      declared: 31 << 20,
      send: 64 << 10,
    });
    expect(anonymous.status).toBe(401);
    const big = await partialPost(env.server, '/campaigns/create', {
      declared: largeBodyLimit + 1,
      send: 16 << 10,
      headers: { authorization: `Bearer ${env.token}` },
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'REQUEST.TOO_LARGE' });
  });

  it('a client still sending when refused reads its 413 or 401, not a reset', async () => {
    // Closing at once left the client's bytes unread, and the kernel answered them with a reset that reached the
    // client before it read the answer: some of the bench's 40 big sign-ins ended as failed connections.
    for (const [path, status, chunked] of [
      ['/trpc/auth.login', 413, false],
      ['/trpc/auth.login', 413, true], // refused once 8 KB are read
      ['/trpc/campaigns.create', 401, false],
      ['/campaigns/create', 401, false],
    ] as const) {
      const answer = await busySender(env.server, path, {
        declared: 31 << 20,
        chunked,
        send: 8 << 20,
        readAfterMs: 300,
      });
      expect({ path, chunked, error: answer.error, head: answer.text.slice(0, 12) }).toEqual({
        path,
        chunked,
        error: null,
        head: `HTTP/1.1 ${status}`,
      });
    }
  });

  it('the server keeps answering after the refused bodies', async () => {
    const me = await env.marketer.trpcQuery('auth.me');
    expect(me.status).toBe(200);
    expect(await json(me)).toMatchObject({ result: { data: { username: 'marketer' } } });
  });

  it('the zip-bomb workbook (0.41 MB holding a 400 MB cell) fails fast with a clear error, nothing kept', async () => {
    const started = await json(
      await env.marketer.trpc('audiences.upload', {
        filename: 'bomb.xlsx',
        content_base64: Buffer.from(zipBombXlsx()).toString('base64'),
      }),
    );
    const id = started.result.data.job.id as string;
    const job = await eventually(async () => {
      const view = (await json(await env.marketer.trpcQuery('jobs.get', { id }))).result.data;
      return view.status === 'running' ? undefined : view;
    });
    expect(job).toMatchObject({ status: 'failed', result: null });
    expect(job.error).toMatch(/holds more than 128 KB of text/);
    const mine = await env.marketer.trpcQuery('jobs.mine');
    expect(mine.status).toBe(200);
    expect((await mine.text()).length).toBeLessThan(64 * 1024);
  });

  it('job answers hold bounded samples: 1,000 rows of a report in the job, none in jobs.mine', async () => {
    const bad = Array.from({ length: 1500 }, (_, i) => String(100_000 + i)); // 6 digits: rejected rows
    const started = await json(
      await env.marketer.trpc('audiences.upload', {
        filename: 'bad.csv',
        content_base64: Buffer.from(`iin\n${bad.join('\n')}\n`).toString('base64'),
      }),
    );
    const id = started.result.data.job.id as string;
    const job = await eventually(async () => {
      const view = (await json(await env.marketer.trpcQuery('jobs.get', { id }))).result.data;
      return view.status === 'running' ? undefined : view;
    });
    expect(job.result).toMatchObject({ rejected_count: 1500, rejected_listed: 1500, accepted: 0 });
    expect(job.result.rejected).toHaveLength(1000);
    expect(job.result.rejected[999]).toMatchObject({ row: 1001, reason: 'length' });
    const mine = (await json(await env.marketer.trpcQuery('jobs.mine'))).result.data as Array<
      Record<string, unknown>
    >;
    expect(mine.find((j) => j.id === id)).toMatchObject({ has_result: true });
    expect(mine.every((j) => !('result' in j))).toBe(true);
    // The rest is paged from the stored report, for its owner only.
    const page = await env.marketer.trpcQuery('uploads.rows', {
      upload_id: job.result.upload_id,
      list: 'rejected',
      offset: 1000,
      limit: 1000,
    });
    const rows = (await json(page)).result.data;
    expect(rows).toMatchObject({ list: 'rejected', listed: 1500, total: 1500, offset: 1000 });
    expect(rows.rows).toHaveLength(500);
    expect(rows.rows[0]).toMatchObject({ row: 1002, reason: 'length' });
    const other = await signedInBrowser(env.server, 'marketer2');
    const refused = await other.trpcQuery('uploads.rows', {
      upload_id: job.result.upload_id,
      list: 'rejected',
    });
    expect(refused.status).toBe(404);
  });

  // Issue 13, item 3: large bodies are parsed off the event loop, in the body worker.
  /**
   * The longest text JSON.parse was given on this thread (the API's: the server runs in this process) while
   * `run` ran. Parsing a big body here is what held the loop; the real JSON.parse still does the work.
   */
  async function longestParsedHere(run: () => Promise<void>): Promise<number> {
    const real = JSON.parse;
    let longest = 0;
    JSON.parse = ((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
      longest = Math.max(longest, String(text).length);
      return real(text, reviver);
    }) as typeof JSON.parse;
    try {
      await run();
    } finally {
      JSON.parse = real;
    }
    return longest;
  }

  it('a 200,000-IIN create over REST and over tRPC, and a 2 MB upload: none of the bodies is parsed here', async () => {
    const iins = validIins(200_000);
    const csv = `iin\n${iins.slice(0, 100_000).join('\n')}\n`;
    let restBody: { campaign_code?: string; filter_stats?: Record<string, number> } = {};
    let trpcBody: {
      result?: { data: { campaign: { code: string; filter_stats: Record<string, number> } } };
    } = {};
    let uploadJob = '';
    const longest = await longestParsedHere(async () => {
      // Two duplicates and the list out of order: the worker's parse sorts and counts them.
      const sent = [...iins.slice(100_000), ...iins.slice(0, 100_000), iins[5]!, iins[6]!];
      const rest = await bearerRequest(
        env.server,
        env.token,
        'POST',
        '/campaigns/create',
        seedCreateRequest({ user_iins: sent }),
      );
      expect(rest.status).toBe(200);
      restBody = await json(rest);
      const trpc = await env.marketer.trpc('campaigns.create', seedCreateRequest({ user_iins: iins }));
      expect(trpc.status).toBe(200);
      trpcBody = await json(trpc);
      const upload = await env.marketer.trpc('audiences.upload', {
        filename: 'half.csv',
        content_base64: Buffer.from(csv).toString('base64'),
      });
      expect(upload.status).toBe(200);
      uploadJob = (await json(upload)).result.data.job.id;
    });
    expect(longest).toBeLessThan(64 * 1024);
    expect(restBody.filter_stats).toMatchObject({ initial_count: 200_000 });
    expect(trpcBody.result?.data.campaign.filter_stats).toMatchObject({ initial_count: 200_000 });
    const target = await env.server.app.store.campaigns.findByCode(restBody.campaign_code!);
    const input = await env.server.app.store.snapshots.latest(target!.id, 'input');
    expect(input?.count).toBe(200_000);
    const job = await eventually(async () => {
      const answer = await json(await env.marketer.trpcQuery('jobs.get', { id: uploadJob }));
      const data = answer.result.data;
      return data.status === 'running' ? undefined : data;
    });
    expect(job).toMatchObject({ status: 'succeeded', result: { accepted: 100_000 } });
  });

  it('what the worker refuses is a 400 naming the field (the item, where the schema named only the list)', async () => {
    const list = await env.marketer.trpc(
      'campaigns.create',
      seedCreateRequest({ user_iins: ['1', {} as never] }),
    );
    expect(list.status).toBe(400);
    expect((await json(list)).error.data.issues[0]).toMatchObject({ field: 'user_iins.1' });
    const bad = await env.marketer.trpc(
      'campaigns.create',
      seedCreateRequest({ user_iins: [validIins(1)[0]!, '123'] }),
    );
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.data).toMatchObject({
      domainCode: 'CAMPAIGN.INVALID_IINS',
      issues: [{ field: 'user_iins[1]' }],
    });
    const file = await env.marketer.trpc('audiences.upload', {
      filename: 'x.csv',
      content_base64: 'not base64!',
    });
    expect(file.status).toBe(400);
    expect((await json(file)).error.data.issues[0]).toMatchObject({ field: 'content_base64' });
    const rest = await bearerRequest(env.server, env.token, 'POST', '/campaigns/create', {
      campaign_type: 'RB1',
      user_iins: 5,
    });
    expect(rest.status).toBe(400);
    // A marker sent by a client resolves to nothing: the schema refuses it.
    const forged = await env.marketer.trpc('campaigns.create', {
      ...seedCreateRequest(),
      user_iins: { $preparsed: 0 },
    });
    expect(forged.status).toBe(400);
    const broken = await fetch(`${env.server.baseUrl}/campaigns/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.token}`, 'content-type': 'application/json' },
      body: '{"campaign_type": ',
    });
    expect(broken.status).toBe(400);
    expect(await json(broken)).toMatchObject({ code: 'REQUEST.INVALID_JSON' });
  });

  it('every procedure the limits name exists in the router', () => {
    const known = new Set(Object.keys(appRouter._def.procedures));
    expect(namedProcedures.filter((p) => !known.has(p))).toEqual([]);
  });
});
