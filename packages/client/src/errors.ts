import { TRPCClientError } from '@trpc/client';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import type { AppRouter, ErrorCode } from './router';

/** tRPC's own codes, for refusals that carry no code of the service's (a malformed call, say). */
export type TRPCErrorCode = TRPC_ERROR_CODE_KEY;

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
export function errorCode(error: unknown): ErrorCode | TRPCErrorCode | null {
  if (!isCampaignClientError(error) || !error.data) return null;
  // The server's formatter sends only registered codes as domainCode (errors.ts's isCodedError).
  return (error.data.domainCode as ErrorCode | null) ?? error.data.code;
}

/**
 * One field the service refused: its path, the rule broken and that rule's limit or expected value, e.g.
 * `{ field: 'control_group.share', rule: 'too_big', limit: 0.9, message: '...' }` (the API's InputIssue).
 */
export type InputIssue = NonNullable<NonNullable<CampaignClientError['data']>['issues']>[number];

/** Every field the service refused, each with its rule and limit. */
export function errorIssues(error: unknown): InputIssue[] {
  if (!isCampaignClientError(error) || !error.data) return [];
  return error.data.issues ?? [];
}
