import { createTestStore } from '@campaigns/db/testing';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { finishedJob, submitAndApprove } from '../testing/campaign-steps';
import { json, signedInBrowser } from '../testing/http-client';
import { validIins } from '../testing/iins';
import { seedCreateRequest } from '../testing/seed-examples';
import { useServerFixture } from '../testing/server-fixture';
import { startTestServer } from '../testing/test-server';

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
  let releaseDeploy!: () => void;
  const gate = new Promise<void>((resolve) => {
    releaseDeploy = resolve;
  });
  // The deploy waits for the test to subscribe first, so the stream shows it running and then finishing.
  const env = useServerFixture({
    wrapDeployer: (real) => ({
      ...real,
      deploy: async (request) => {
        await gate;
        return real.deploy(request);
      },
    }),
  });

  it('streams a deploy job from running to succeeded, and a reloaded page re-attaches to it', async () => {
    const { marketer } = env;
    const approver = await signedInBrowser(env.server, 'approver');
    const { campaign, approval } = await submitAndApprove(
      marketer,
      approver,
      seedCreateRequest({ user_iins: validIins(10) }),
    );
    const jobId: string = approval.deploy_job.id;
    const watch = () =>
      approver.request(
        'GET',
        `/trpc/jobs.watch?input=${encodeURIComponent(JSON.stringify({ id: jobId }))}`,
        undefined,
        { accept: 'text/event-stream' },
      );

    const stream = await watch();
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const eventsPromise = readSse(stream);
    setTimeout(releaseDeploy, 100);
    const events = (await eventsPromise) as Array<{ status: string; progress: number }>;
    expect(events[0]).toMatchObject({ status: 'running' });
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', progress: 1 });
    expect(events.map((e) => e.progress)).toEqual([...events.map((e) => e.progress)].sort((a, b) => a - b));

    // After a reload the page asks again by id: it gets the final state at once.
    const again = await readSse(await watch());
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

describe('a job whose instance stopped', () => {
  it('fails with JOB.INTERRUPTED once another instance cleans up, so the SPA can word why', async () => {
    // The row a process killed mid-upload leaves behind: still running, and nobody runs it any more.
    const store = await createTestStore();
    const clock = new ManualClock(new Date());
    try {
      const server = await startTestServer({ store, clock });
      try {
        const job = await store.jobs.create({ kind: 'upload', ownerId: server.users.marketer!.id });
        // An upload takes minutes, not hours: the clean-up an hour on fails it.
        clock.advance(2 * 60 * 60_000);
        const marketer = await signedInBrowser(server, 'marketer');
        await server.app.queue.send('cleanup', {});
        const failed = await finishedJob(marketer, job.id);
        expect(failed).toMatchObject({
          kind: 'upload',
          status: 'failed',
          errorCode: 'JOB.INTERRUPTED',
          error: expect.stringMatching(/Interrupted/),
        });
      } finally {
        await server.close();
      }
    } finally {
      await store.close();
    }
  });
});
