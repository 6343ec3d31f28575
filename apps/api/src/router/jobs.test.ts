import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, json } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { startTestServer, type TestServer } from '../testing/test-server';

/** Reads a tRPC SSE subscription until the stream ends; returns each `data:` payload. */
async function readSse(response: Response): Promise<unknown[]> {
  const events: unknown[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === 'return') return events;
      if (data && !event) events.push(JSON.parse(data));
      cut = buffer.indexOf('\n\n');
    }
  }
  return events;
}

describe('jobs with progress over SSE', () => {
  let server: TestServer;
  let releaseDeploy!: () => void;
  const gate = new Promise<void>((resolve) => {
    releaseDeploy = resolve;
  });

  beforeAll(async () => {
    // The deploy waits for the test to subscribe first, so the stream shows it running and then finishing.
    server = await startTestServer({
      wrapDeployer: (real) => ({
        ...real,
        deploy: async (request) => {
          await gate;
          return real.deploy(request);
        },
      }),
    });
  });
  afterAll(async () => server.close());

  it('streams a deploy job from running to succeeded, and a reloaded page re-attaches to it', async () => {
    const marketer = new Browser(server);
    const approver = new Browser(server);
    await marketer.login('marketer');
    await approver.login('approver');
    const created = await json(
      await marketer.trpc('campaigns.create', {
        ...seedCreateRequest({ user_iins: validIins(10) }),
        submit: true,
      }),
    );
    const campaign = created.result.data.campaign;
    const approved = await json(
      await approver.trpc('approvals.approve', {
        code: campaign.campaign_code,
        content_hash: campaign.content_hash,
      }),
    );
    const jobId: string = approved.result.data.deploy_job.id;

    const stream = await approver.request(
      'GET',
      `/trpc/jobs.watch?input=${encodeURIComponent(JSON.stringify({ id: jobId }))}`,
      undefined,
      {
        accept: 'text/event-stream',
      },
    );
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const eventsPromise = readSse(stream);
    setTimeout(releaseDeploy, 100);
    const events = (await eventsPromise) as Array<{ status: string; progress: number }>;
    expect(events[0]).toMatchObject({ status: 'running' });
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', progress: 1 });
    expect(events.map((e) => e.progress)).toEqual([...events.map((e) => e.progress)].sort((a, b) => a - b));

    // After a reload the page asks again by id: it gets the final state at once.
    const again = await readSse(
      await approver.request(
        'GET',
        `/trpc/jobs.watch?input=${encodeURIComponent(JSON.stringify({ id: jobId }))}`,
        undefined,
        {
          accept: 'text/event-stream',
        },
      ),
    );
    expect(again).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    const job = await json(await approver.trpcQuery('jobs.get', { id: jobId }));
    expect(job.result.data).toMatchObject({
      kind: 'deploy',
      campaignCode: campaign.campaign_code,
      status: 'succeeded',
    });
    // A marketer who did not start it does not see the deploy job.
    expect((await marketer.trpcQuery('jobs.get', { id: jobId })).status).toBe(404);
  });
});
