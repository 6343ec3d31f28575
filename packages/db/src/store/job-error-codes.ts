// Why a job failed when its own work did not say: the job store fails such jobs itself.
import type { ErrorKind } from '@campaigns/core/rules';

/** The codes the job store writes itself, with their kind (docs/decisions/error-codes.md). */
export const JOB_ERROR_CODES = {
  /** The instance running it stopped (crashed or restarted) and nobody will finish it: start it again. */
  'JOB.INTERRUPTED': 'unavailable',
} as const satisfies Record<string, ErrorKind>;

export type JobErrorCode = keyof typeof JOB_ERROR_CODES;
