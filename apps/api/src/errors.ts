import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { TRPCError } from '@trpc/server';

/**
 * Errors with a stable `code` (core's DomainError and the API's own, below) mapped to HTTP statuses and tRPC
 * codes in this one place, for both the tRPC procedures and the REST endpoints.
 */
export interface CodedError extends Error {
  code: string;
  details?: Readonly<Record<string, unknown>> | undefined;
}

/** The API's own stable codes (workflow, auth); core's codes (IIN.*, CAMPAIGN.*) arrive as they are. */
export class ApiError extends Error implements CodedError {
  override name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function isCodedError(error: unknown): error is CodedError {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*\.[A-Z0-9_.]+$/.test(code);
}

const exactStatus: Record<string, number> = {
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.INVALID_CREDENTIALS': 401,
  'AUTH.SESSION_EXPIRED': 401,
  'AUTH.FORBIDDEN': 403,
  'AUTH.SCOPE_MISSING': 403,
  'AUTH.CSRF': 403,
  'AUTH.THROTTLED': 429,
  'REQUEST.TOO_LARGE': 413,
  'IDEMPOTENCY.KEY_REUSED': 422,
  'IDEMPOTENCY.IN_PROGRESS': 409,
  'APPROVAL.SELF_APPROVAL': 403,
  'CAMPAIGN.CODE_SPACE_EXHAUSTED': 409,
  'CAMPAIGN.XLS_ID_EXHAUSTED': 409,
  'TARGET.UNAVAILABLE': 503,
};

const statusByDomainKind: Record<string, number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  forbidden: 403,
  exhausted: 409,
};

/**
 * HTTP status for a coded error: core's DomainError carries its `kind`; the API's own codes are looked up
 * exactly, then by the code's last word; 400 otherwise.
 */
export function httpStatusOf(error: CodedError): number {
  const kind = (error as { kind?: unknown }).kind;
  if (typeof kind === 'string' && statusByDomainKind[kind] !== undefined) return statusByDomainKind[kind];
  const code = error.code;
  const exact = exactStatus[code];
  if (exact !== undefined) return exact;
  if (code.endsWith('NOT_FOUND')) return 404;
  if (code.endsWith('INVALID_STATE') || code.endsWith('CONFLICT') || code.startsWith('APPROVAL.')) return 409;
  if (code.endsWith('FORBIDDEN') || code.endsWith('NOT_ALLOWED')) return 403;
  return 400;
}

const trpcCodeByStatus: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

export function toTRPCError(error: CodedError): TRPCError {
  return new TRPCError({
    code: trpcCodeByStatus[httpStatusOf(error)] ?? 'BAD_REQUEST',
    message: error.message,
    cause: error,
  });
}
