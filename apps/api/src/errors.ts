import {
  CodedError,
  DOMAIN_ERROR_CODES,
  type ErrorDetails,
  type ErrorKind,
  type InputIssue,
} from '@campaigns/core';
import { JOB_ERROR_CODES, UPLOAD_ERROR_CODES } from '@campaigns/db';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { TRPCError } from '@trpc/server';

// Every error code the API answers with is registered with its kind: core's DOMAIN_ERROR_CODES (IIN.*,
// CAMPAIGN.*, APPROVAL.*, thrown as DomainError), db's UPLOAD_ERROR_CODES (UploadError) and JOB_ERROR_CODES
// (written by the job store, never thrown) and the API's own below (ApiError). Each family has one registry and
// at most one error type; the HTTP status and tRPC code follow from the kind alone
// (docs/decisions/error-codes.md).

/** The API's own codes: sessions and tokens, request framing, idempotency, users, the target's health. */
export const API_ERROR_CODES = {
  'AUTH.UNAUTHENTICATED': 'unauthenticated',
  'AUTH.INVALID_CREDENTIALS': 'unauthenticated',
  'AUTH.SESSION_EXPIRED': 'unauthenticated',
  'AUTH.FORBIDDEN': 'forbidden',
  'AUTH.SCOPE_MISSING': 'forbidden',
  'AUTH.CSRF': 'forbidden',
  'AUTH.THROTTLED': 'throttled',
  'REQUEST.INVALID': 'invalid_input',
  'REQUEST.INVALID_JSON': 'invalid_input',
  'REQUEST.INVALID_URL': 'invalid_input',
  'REQUEST.TOO_LARGE': 'too_large',
  'REQUEST.UNKNOWN_HOST': 'misdirected',
  'HTTP.NOT_FOUND': 'not_found',
  'IDEMPOTENCY.KEY_REUSED': 'unprocessable',
  'IDEMPOTENCY.IN_PROGRESS': 'conflict',
  'USER.NOT_FOUND': 'not_found',
  'USER.FORBIDDEN': 'forbidden',
  'USER.CONFLICT': 'conflict',
  'USER.WEAK_PASSWORD': 'invalid_input',
  'TOKEN.NOT_FOUND': 'not_found',
  'AUDIENCE.NO_INPUT': 'invalid_input',
  'AUDIENCE.NO_CLIENT_LIST': 'invalid_input',
  'AUDIENCE.EMPTY': 'invalid_input',
  'TARGET.UNAVAILABLE': 'unavailable',
} as const satisfies Record<string, ErrorKind>;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

/** The API's own failures (codes in API_ERROR_CODES); domain and upload failures keep their own types. */
export class ApiError extends CodedError<ApiErrorCode> {
  override name = 'ApiError';
  constructor(code: ApiErrorCode, message: string, details?: ErrorDetails) {
    super(API_ERROR_CODES, code, message, details);
  }
}

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  exhausted: 409,
  too_large: 413,
  misdirected: 421,
  unprocessable: 422,
  throttled: 429,
  unavailable: 503,
};

/** Every code a caller can meet (the OpenAPI document and @campaigns/client list them). */
export type ErrorCode =
  | keyof typeof DOMAIN_ERROR_CODES
  | keyof typeof UPLOAD_ERROR_CODES
  | keyof typeof JOB_ERROR_CODES
  | ApiErrorCode;

export const REGISTERED: Readonly<Record<string, ErrorKind>> = {
  ...DOMAIN_ERROR_CODES,
  ...UPLOAD_ERROR_CODES,
  ...JOB_ERROR_CODES,
  ...API_ERROR_CODES,
};

/** True for an error whose code is registered with the kind it carries; anything else is an internal error. */
export function isCodedError(error: unknown): error is CodedError {
  if (!(error instanceof Error)) return false;
  const { code, kind } = error as Error & { code?: unknown; kind?: unknown };
  return typeof code === 'string' && typeof kind === 'string' && REGISTERED[code] === kind;
}

export function httpStatusOf(error: CodedError): number {
  return STATUS_BY_KIND[error.kind];
}

/** The status of a registered code answered without an error object (Host and CSRF checks, unknown paths). */
export function httpStatusOfCode(code: ApiErrorCode): number {
  return STATUS_BY_KIND[API_ERROR_CODES[code]];
}

const TRPC_CODE_BY_KIND: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
  invalid_input: 'BAD_REQUEST',
  unauthenticated: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  exhausted: 'CONFLICT',
  too_large: 'PAYLOAD_TOO_LARGE',
  misdirected: 'BAD_REQUEST',
  unprocessable: 'UNPROCESSABLE_CONTENT',
  throttled: 'TOO_MANY_REQUESTS',
  unavailable: 'SERVICE_UNAVAILABLE',
};

/** Refused input in one line, for a log or an API tool: "field: why; field: why". */
export function issuesSummary(issues: readonly InputIssue[]): string {
  return issues.map((issue) => `${issue.field || '(input)'}: ${issue.message}`).join('; ');
}

export function toTRPCError(error: CodedError): TRPCError {
  return new TRPCError({ code: TRPC_CODE_BY_KIND[error.kind], message: error.message, cause: error });
}
