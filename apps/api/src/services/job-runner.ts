import { EventEmitter, on } from 'node:events';
import type { Clock } from '../clock';
import type { Logger } from '../logger';

export type JobStatus = 'running' | 'succeeded' | 'failed';

export interface JobView {
  id: string;
  kind: string;
  campaignCode: string | null;
  status: JobStatus;
  /** 0..1 */
  progress: number;
  message: string;
  result: Record<string, unknown> | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

interface JobRecord extends JobView {
  ownerId: string | null;
}

export type ProgressReporter = (fraction: number, message: string) => void;

// Finished jobs stay readable this long, so a page reloaded after the end still sees the outcome.
const keepFinishedMs = 60 * 60_000;

/**
 * Long work off the request path, with progress that the SPA follows over a tRPC subscription (SSE). Jobs
 * are kept by id in memory, so a reloaded page re-attaches to a running job; the durable facts (campaign
 * status, deployment rows, audit) are in the store, so a restart loses only the progress bar.
 */
export class JobRunner {
  readonly #jobs = new Map<string, JobRecord>();
  readonly #events = new EventEmitter();
  readonly #running = new Set<Promise<void>>();

  constructor(private readonly deps: { clock: Clock; logger: Logger }) {
    this.#events.setMaxListeners(0);
  }

  start(
    meta: { kind: string; campaignCode?: string | null; ownerId: string | null },
    work: (progress: ProgressReporter) => Promise<Record<string, unknown>>,
  ): JobView {
    this.#sweep();
    const job: JobRecord = {
      id: crypto.randomUUID(),
      kind: meta.kind,
      campaignCode: meta.campaignCode ?? null,
      ownerId: meta.ownerId,
      status: 'running',
      progress: 0,
      message: 'Started',
      result: null,
      error: null,
      startedAt: this.deps.clock.now().toISOString(),
      finishedAt: null,
    };
    this.#jobs.set(job.id, job);
    const report: ProgressReporter = (fraction, message) => {
      job.progress = Math.max(job.progress, Math.min(1, fraction));
      job.message = message;
      this.#emit(job);
    };
    const run = (async () => {
      // Let the request that started the job answer before the work begins.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        job.result = await work(report);
        job.status = 'succeeded';
        job.progress = 1;
      } catch (error) {
        job.status = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        this.deps.logger.error({ err: error, job: job.id, kind: job.kind }, 'job failed');
      }
      job.finishedAt = this.deps.clock.now().toISOString();
      this.#emit(job);
    })();
    this.#running.add(run);
    void run.finally(() => this.#running.delete(run));
    return view(job);
  }

  get(id: string): (JobView & { ownerId: string | null }) | null {
    const job = this.#jobs.get(id);
    return job ? { ...view(job), ownerId: job.ownerId } : null;
  }

  list(filter: { ownerId?: string; campaignCode?: string } = {}): JobView[] {
    return [...this.#jobs.values()]
      .filter((j) => filter.ownerId === undefined || j.ownerId === filter.ownerId)
      .filter((j) => filter.campaignCode === undefined || j.campaignCode === filter.campaignCode)
      .map(view);
  }

  /** Yields the job's state now and after every change, until it finishes or the signal aborts. */
  async *watch(id: string, signal?: AbortSignal): AsyncGenerator<JobView> {
    const job = this.#jobs.get(id);
    if (!job) return;
    const first = view(job);
    yield first;
    if (first.status !== 'running') return;
    // Listen first, then look: a job that ended while the consumer held the first state still reports its end.
    const changes = on(this.#events, id, signal ? { signal } : {});
    if (job.status !== 'running') {
      yield view(job);
      return;
    }
    try {
      for await (const [changed] of changes) {
        const state = changed as JobView;
        yield state;
        if (state.status !== 'running') return;
      }
    } catch (error) {
      if ((error as { name?: string }).name !== 'AbortError') throw error;
    }
  }

  /** Waits for every running job (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  #emit(job: JobRecord): void {
    this.#events.emit(job.id, view(job));
  }

  #sweep(): void {
    const now = this.deps.clock.now().getTime();
    for (const [id, job] of this.#jobs) {
      if (job.finishedAt && now - Date.parse(job.finishedAt) > keepFinishedMs) this.#jobs.delete(id);
    }
  }
}

function view(job: JobRecord): JobView {
  return {
    id: job.id,
    kind: job.kind,
    campaignCode: job.campaignCode,
    status: job.status,
    progress: job.progress,
    message: job.message,
    result: job.result,
    error: job.error,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
  };
}
