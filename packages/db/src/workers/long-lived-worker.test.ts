import { afterEach, describe, expect, it } from 'vitest';
import type { EchoAnswer, EchoRequest } from './fixtures/echo-worker';
import { type CallOutcome, LongLivedWorker, type LongLivedWorkerOptions } from './long-lived-worker';

type Request = EchoRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

const opened: LongLivedWorker<EchoRequest, EchoAnswer>[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((w) => w.close()));
});

function echoWorker(options: Partial<LongLivedWorkerOptions> = {}) {
  const worker = new LongLivedWorker<EchoRequest, EchoAnswer>({
    name: 'echo worker',
    entry: new URL('./fixtures/echo-worker.ts', import.meta.url),
    ...options,
  });
  opened.push(worker);
  return worker;
}

const answerOf = (answer: EchoAnswer): CallOutcome<string> =>
  answer.type === 'value'
    ? { value: answer.value }
    : answer.type === 'error'
      ? { error: new Error(answer.message) }
      : undefined;

/** One request; `progress` counts the worker's progress messages for it. */
function ask(worker: LongLivedWorker<EchoRequest, EchoAnswer>, request: Request, progress = { n: 0 }) {
  return worker.call<string>({
    send: (post, id) => post({ ...request, id } as EchoRequest),
    receive: (answer) => {
      if (answer.type === 'progress') progress.n++;
      return answerOf(answer);
    },
  });
}

describe('LongLivedWorker', () => {
  it('answers every call on one worker, each its own, progress messages before the answer', async () => {
    const worker = echoWorker();
    const progress = { n: 0 };
    const answers = await Promise.all(
      ['a', 'b', 'c', 'd'].map((value) => ask(worker, { op: 'echo', value }, progress)),
    );
    expect(answers).toEqual(['a', 'b', 'c', 'd']);
    expect(progress.n).toBe(4);
    await expect(ask(worker, { op: 'fail' })).rejects.toThrow('refused on purpose');
    expect(await ask(worker, { op: 'echo', value: 'after' })).toBe('after');
    expect(worker.workersStarted).toBe(1);
  });

  it('a call may send several messages, as they come; one that throws fails alone', async () => {
    const worker = echoWorker();
    const streamed = worker.call<string>({
      send: async (post, id) => {
        for (const value of ['x', 'y']) {
          post({ id, op: 'part', value });
          await new Promise((resolve) => setImmediate(resolve));
        }
        post({ id, op: 'echo', value: 'z' });
      },
      receive: answerOf,
    });
    const broken = worker.call<string>({
      send: () => {
        throw new Error('the body broke off');
      },
      receive: answerOf,
    });
    const [joined, refused] = await Promise.allSettled([streamed, broken]);
    expect(joined).toEqual({ status: 'fulfilled', value: 'xyz' });
    expect(refused).toMatchObject({ status: 'rejected', reason: { message: 'the body broke off' } });
    expect(worker.pending).toBe(0);
  });

  it('runs at most `concurrency` calls, queues `maxWaiting` behind them, refuses the next as busy', async () => {
    const worker = echoWorker({
      concurrency: 1,
      maxWaiting: 2,
      busy: (waiting) => new Error(`busy: ${waiting} waiting`),
    });
    const finished: string[] = [];
    const calls = ['first', 'second', 'third', 'fourth'].map((value, i) =>
      ask(worker, { op: 'wait', ms: i === 0 ? 200 : 0, value }).then((v) => void finished.push(v)),
    );
    const outcomes = await Promise.allSettled(calls);
    // The fourth found two waiting and was refused at once; the others ran one after another, in order.
    expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual([
      'ok',
      'ok',
      'ok',
      'Error: busy: 2 waiting',
    ]);
    expect(finished).toEqual(['first', 'second', 'third']);
  });

  it('after a crash the running calls fail, waiting ones go to a new worker', async () => {
    const worker = echoWorker({ concurrency: 1 });
    const [crashed, waiting] = await Promise.allSettled([
      ask(worker, { op: 'exit' }),
      ask(worker, { op: 'echo', value: 'survived' }),
    ]);
    expect(crashed).toMatchObject({
      status: 'rejected',
      reason: { message: 'echo worker exited with code 3' },
    });
    expect(waiting).toEqual({ status: 'fulfilled', value: 'survived' });
    expect(worker.workersStarted).toBe(2);
  });

  it('start() runs the worker before any call, and the calls use that one', async () => {
    const worker = echoWorker();
    worker.start();
    worker.start();
    expect(worker.workersStarted).toBe(1);
    expect(await ask(worker, { op: 'echo', value: 'first' })).toBe('first');
    expect(worker.workersStarted).toBe(1);
  });

  it('close() fails what runs and waits, and refuses later calls', async () => {
    const worker = echoWorker({ concurrency: 1 });
    const outcomes = Promise.allSettled([
      ask(worker, { op: 'wait', ms: 60_000, value: 'never' }),
      ask(worker, { op: 'echo', value: 'never' }),
    ]);
    await worker.close();
    expect((await outcomes).map((o) => o.status === 'rejected' && String(o.reason))).toEqual([
      'Error: echo worker closed',
      'Error: echo worker closed',
    ]);
    await expect(ask(worker, { op: 'echo', value: 'late' })).rejects.toThrow('echo worker closed');
  });

  it('tell() posts a command nothing waits for; news comes unasked; a new worker after a crash is told again', async () => {
    const news: string[] = [];
    let remember = '';
    const worker: LongLivedWorker<EchoRequest, EchoAnswer> = echoWorker({
      unsolicited: (message) => news.push((message as { value: string }).value),
      // What the owner resumes on every worker it starts (the audience worker's preparation).
      onStart: () => {
        if (remember) worker.tell((id) => ({ id, op: 'remember', value: remember }));
      },
    });
    worker.tell((id) => ({ id, op: 'remember', value: 'kept' }));
    remember = 'kept';
    expect(worker.pending).toBe(0);
    expect(await ask(worker, { op: 'recall' })).toBe('kept');
    expect(news).toEqual(['kept']);
    await expect(ask(worker, { op: 'exit' })).rejects.toThrow('exited with code 3');
    expect(await ask(worker, { op: 'recall' })).toBe('kept');
    expect(worker.workersStarted).toBe(2);
    expect(news).toEqual(['kept', 'kept']);
  });
});
