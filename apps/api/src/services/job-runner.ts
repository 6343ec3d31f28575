import type { ChangeFeed, JobRecord, Store } from '@campaigns/db';
import { publishChange } from '@campaigns/db';
import type { Clock } from '../clock';
import { type ErrorCode, isCodedError } from '../errors';
import type { Logger } from '../logger';
import type { JobKind, JobOf, JobResults, JobView } from './job-results';

export type ProgressReporter = (fraction: number, message: string) => void;

// Progress is written at most this often (and always at the end): a progress bar, not a log.
const writeEveryMs = 250;
// A watcher that hears nothing looks again this often (a NOTIFY lost with a connection, say).
const pollEveryMs = 1000;
// Finished jobs stay readable this long, so a page reloaded after the end still sees the outcome.
export const keepFinishedJobsMs = 60 * 60_000;

/**
 * Long work off the request path, with progress that the SPA follows over a tRPC subscription (SSE). The job
 * is a row in the store (docs/ARCHITECTURE.md "Jobs"): whichever instance runs the work writes its progress there and
 * NOTIFYs `job_changed`, and whichever instance a user reaches reads it and pushes it to their subscription.
 */
export class JobRunner {
  readonly #running = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: { store: Store; feed: ChangeFeed | null; clock: Clock; logger: Logger },
  ) {}

  /** A job row for work that runs later or elsewhere (a queued deploy); `run` it by id. */
  async create<K extends JobKind>(meta: {
    kind: K;
    campaignCode?: string | null;
    ownerId: string | null;
    message?: string;
  }): Promise<JobOf<K>> {
    return view(await this.deps.store.jobs.create(meta)) as JobOf<K>;
  }

  /** Creates the job and runs `work` in this process, off the request that started it. */
  async start<K extends JobKind>(
    meta: { kind: K; campaignCode?: string | null; ownerId: string | null },
    work: (progress: ProgressReporter) => Promise<JobResults[K]>,
  ): Promise<JobOf<K>> {
    const job = await this.create(meta);
    void this.run<K>(job.id, work).catch(() => {}); // the outcome is in the job row
    return job;
  }

  /** Runs `work` for the job `id` (of kind K), writing its progress and outcome to the row; resolves with the result. */
  run<K extends JobKind>(
    id: string,
    work: (progress: ProgressReporter) => Promise<JobResults[K]>,
  ): Promise<JobResults[K]> {
    const { store, logger, clock } = this.deps;
    let last = 0;
    let writing: Promise<unknown> = Promise.resolve();
    let best = 0;
    const write = (patch: Parameters<typeof store.jobs.update>[1]) => {
      // Writes go in order, one at a time; the final one waits for those before it.
      writing = writing
        .then(() => store.jobs.update(id, patch))
        .then(() => this.#changed(id))
        .catch((error: unknown) => logger.warn({ err: error, job: id }, 'job progress not written'));
      return writing;
    };
    const report: ProgressReporter = (fraction, message) => {
      best = Math.max(best, Math.min(1, fraction));
      const now = Date.now();
      if (now - last < writeEveryMs) return;
      last = now;
      void write({ progress: best, message });
    };
    const running = (async () => {
      // Let the request that started the job answer before the work begins.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const result = await work(report);
        // A kind's result is a JSON object (jsonb in the row).
        const row = result as unknown as Record<string, unknown>;
        await write({ status: 'succeeded', progress: 1, result: row, finishedAt: clock.now() });
        return result;
      } catch (error) {
        // A coded error is the input's fault (an unreadable upload, say): a warning with its code, no stack.
        if (isCodedError(error)) logger.warn({ job: id, code: error.code }, 'job refused its input');
        else logger.error({ err: error, job: id }, 'job failed');
        // The code (and its details) beside the English reason, so the SPA words it in the UI language.
        await write({
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          errorCode: isCodedError(error) ? error.code : null,
          errorDetails: isCodedError(error) && error.details ? { ...error.details } : null,
          finishedAt: clock.now(),
        });
        throw error;
      }
    })();
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running)).catch(() => {});
    return running;
  }

  async get(id: string): Promise<(JobView & { ownerId: string | null }) | null> {
    const job = await this.deps.store.jobs.findById(id);
    return job ? { ...view(job), ownerId: job.ownerId } : null;
  }

  async list(filter: { ownerId?: string; campaignCode?: string } = {}): Promise<JobView[]> {
    const since = this.deps.clock.now().getTime() - keepFinishedJobsMs;
    return (await this.deps.store.jobs.list(filter))
      .filter((j) => j.finishedAt === null || j.finishedAt.getTime() >= since)
      .map(view);
  }

  /** Yields the job's state now and after every change, until it finishes or the signal aborts. */
  async *watch(id: string, signal?: AbortSignal): AsyncGenerator<JobView> {
    let wake: (() => void) | null = null;
    // Listen first, then look: a change between the look and the wait still wakes the wait.
    let missed = false;
    const stop = this.deps.feed?.on('job_changed', (payload) => {
      if (payload !== id && payload !== '*') return;
      missed = true;
      wake?.();
    });
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      let previous = '';
      for (;;) {
        missed = false;
        const job = await this.deps.store.jobs.findById(id);
        if (!job) return;
        const state = view(job);
        const key = JSON.stringify(state);
        if (key !== previous) {
          previous = key;
          yield state;
        }
        if (state.status !== 'running' || signal?.aborted) return;
        if (!missed) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollEveryMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
        if (signal?.aborted) return;
      }
    } finally {
      stop?.();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Waits for every job running in this process (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  async #changed(id: string): Promise<void> {
    await publishChange(this.deps.store.pool, 'job_changed', id);
  }
}

/** The row as the API answers it; the runner wrote `result` for the row's kind, so it is read back as that. */
function view(job: JobRecord): JobView {
  return {
    id: job.id,
    kind: job.kind as JobKind,
    campaignCode: job.campaignCode,
    status: job.status,
    progress: job.progress,
    message: job.message,
    result: job.result as JobResults[JobKind] | null,
    error: job.error,
    // Only registered codes are written (isCodedError above).
    errorCode: job.errorCode as ErrorCode | null,
    errorDetails: job.errorDetails,
    startedAt: job.startedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  } as JobView;
}
