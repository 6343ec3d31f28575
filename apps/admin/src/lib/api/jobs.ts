import { api, type RouterOutputs } from './client';

// Long work on the server (parsing an upload, a deploy) is a job; the SPA follows it here, and only here, over
// the `jobs.watch` subscription (SSE). Its types come from the API (one union per job kind), never a copy.

export type JobView = NonNullable<RouterOutputs['jobs']['get']>;
export type JobKind = JobView['kind'];
export type JobOf<K extends JobKind> = Extract<JobView, { kind: K }>;
/** What a job of kind K answers when it succeeds. */
export type JobResult<K extends JobKind> = NonNullable<JobOf<K>['result']>;

/**
 * Follows the job until it ends, calling `onProgress` with each state; resolves with the last state whatever
 * its status (succeeded or failed), rejects only when the subscription itself fails.
 */
export function followJob(id: string, onProgress?: (job: JobView) => void): Promise<JobView> {
  return new Promise((resolve, reject) => {
    const subscription = api.jobs.watch.subscribe(
      { id },
      {
        onData: (job) => {
          onProgress?.(job);
          if (job.status === 'running') return;
          subscription.unsubscribe();
          resolve(job);
        },
        onError: (error) => reject(error),
      },
    );
  });
}

/**
 * Thrown for a job that ended without its result: the message is the server's English, `code` and `details`
 * what the SPA words in the UI language (null when the failure had no code: an internal error).
 */
export class JobFailedError extends Error {
  override name = 'JobFailedError';
  constructor(
    message: string,
    readonly code: JobView['errorCode'] = null,
    readonly details: JobView['errorDetails'] = null,
  ) {
    super(message);
  }
}

/** The result of the job `id` of kind `kind` once it succeeds; a failed job rejects with a JobFailedError. */
export async function jobResult<K extends JobKind>(
  id: string,
  kind: K,
  onProgress?: (job: JobView) => void,
): Promise<JobResult<K>> {
  const job = await followJob(id, onProgress);
  if (job.status === 'succeeded' && job.kind === kind && job.result) return job.result as JobResult<K>;
  throw new JobFailedError(job.error ?? job.message, job.errorCode, job.errorDetails);
}
