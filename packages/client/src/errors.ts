import { TRPCClientError } from '@trpc/client';
import type { AppRouter } from './router';

/** An error the service answered, with its tRPC shape (status, stable code, field issues). */
export type CampaignClientError = TRPCClientError<AppRouter>;

export function isCampaignClientError(error: unknown): error is CampaignClientError {
  return error instanceof TRPCClientError;
}

/**
 * The stable code of a refused call (`CAMPAIGN.CODE_SPACE_EXHAUSTED`, `APPROVAL.SELF_APPROVAL`, `IIN.INVALID`...):
 * the service's own code when it gave one, else tRPC's (`UNAUTHORIZED`, `BAD_REQUEST`); null for errors that
 * never reached the service (network).
 */
export function errorCode(error: unknown): string | null {
  if (!isCampaignClientError(error) || !error.data) return null;
  return error.data.domainCode ?? error.data.code;
}

/** Each field the service refused and why, e.g. `{ field: 'metadata.date_end', message: '...' }`. */
export function errorIssues(error: unknown): Array<{ field: string; message: string }> {
  if (!isCampaignClientError(error) || !error.data) return [];
  return error.data.issues ?? [];
}
