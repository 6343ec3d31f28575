// Typed domain errors with stable string codes. The API maps them to TRPCError / HTTP status in one place, by
// `kind`, so adding a code is one line here and needs no change at the edge (docs/decisions/error-codes.md).
import type { InputIssue } from './input-issue';

/**
 * What sort of failure a code is. Every error code of every package is registered with one kind, and the edge
 * (apps/api/src/errors.ts) maps each kind to one HTTP status / tRPC code: no status is guessed from a code's text.
 */
export type ErrorKind =
  | 'invalid_input' // 400 / BAD_REQUEST: the caller sent something we reject
  | 'unauthenticated' // 401 / UNAUTHORIZED: no valid session or token
  | 'forbidden' // 403 / FORBIDDEN: the caller may not do this
  | 'not_found' // 404 / NOT_FOUND
  | 'conflict' // 409 / CONFLICT: the request is valid but clashes with current state
  | 'exhausted' // 409 / CONFLICT too, but no retry will help: a code space has run out
  | 'too_large' // 413 / PAYLOAD_TOO_LARGE
  | 'unprocessable' // 422 / UNPROCESSABLE_CONTENT: well-formed, but contradicts an earlier request
  | 'throttled' // 429 / TOO_MANY_REQUESTS
  | 'misdirected' // 421: the request names a Host this server does not answer for
  | 'unavailable'; // 503 / SERVICE_UNAVAILABLE: a dependency is down; retry later

/**
 * The domain's codes (IIN.*, CAMPAIGN.*, APPROVAL.*), thrown as DomainError by core and by the services that
 * enforce these rules. Add a code by adding a line; keep existing codes stable (clients match on them).
 */
export const DOMAIN_ERROR_CODES = {
  'IIN.EMPTY': 'invalid_input',
  'IIN.INVALID_LENGTH': 'invalid_input',
  'IIN.NON_DIGIT': 'invalid_input',
  'IIN.INVALID_CHECK_DIGIT': 'invalid_input',
  'IIN.NEVER_ISSUED': 'invalid_input',
  'IIN.SCIENTIFIC_NOTATION': 'invalid_input',
  'IIN.DUPLICATE': 'invalid_input',
  'CAMPAIGN.NOT_FOUND': 'not_found',
  'CAMPAIGN.FORBIDDEN': 'forbidden',
  'CAMPAIGN.INVALID_STATE': 'conflict',
  'CAMPAIGN.CONTENT_CONFLICT': 'conflict',
  'CAMPAIGN.INVALID_METADATA': 'invalid_input',
  'CAMPAIGN.INVALID_IINS': 'invalid_input',
  'CAMPAIGN.OMISSION_REASON_REQUIRED': 'invalid_input',
  'CAMPAIGN.CODE_SPACE_EXHAUSTED': 'exhausted',
  'CAMPAIGN.XLS_ID_EXHAUSTED': 'exhausted',
  'APPROVAL.SELF_APPROVAL': 'forbidden',
  'APPROVAL.CONTENT_CHANGED': 'conflict',
  'APPROVAL.ACKNOWLEDGEMENT_REQUIRED': 'conflict',
} as const satisfies Record<string, ErrorKind>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_CODES;

/** What an error adds for its caller; `issues`: every field refused, each with its rule (input-issue.ts). */
export type ErrorDetails = Readonly<{ issues?: readonly InputIssue[] } & Record<string, unknown>>;
export type DomainErrorDetails = ErrorDetails;

/**
 * An error with a code registered with its kind: the one shape of every family's error (DomainError here,
 * db's UploadError, the API's ApiError). The kind is read from the family's registry, never from the code's text.
 */
export abstract class CodedError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly kind: ErrorKind;
  readonly details: ErrorDetails | undefined;

  protected constructor(
    registry: Readonly<Record<Code, ErrorKind>>,
    code: Code,
    message: string,
    details?: ErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.kind = registry[code];
    this.details = details;
  }

  /** A plain object for logs and API bodies (an Error's own fields do not survive JSON.stringify). */
  toJSON(): { code: Code; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export class DomainError extends CodedError<DomainErrorCode> {
  override readonly name = 'DomainError';

  constructor(
    code: DomainErrorCode,
    message: string,
    details?: DomainErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(DOMAIN_ERROR_CODES, code, message, details, options);
  }
}

/** Shorthand factory: `throw domainError('APPROVAL.SELF_APPROVAL', 'You cannot approve your own campaign')`. */
export function domainError(
  code: DomainErrorCode,
  message: string,
  details?: DomainErrorDetails,
): DomainError {
  return new DomainError(code, message, details);
}

export function isDomainErrorCode(value: unknown): value is DomainErrorCode {
  return typeof value === 'string' && Object.hasOwn(DOMAIN_ERROR_CODES, value);
}

/**
 * True for a DomainError, optionally of one code. Also recognises one thrown by a second copy of this module
 * (e.g. two bundles), where `instanceof` would say no, by its name and a known code.
 */
export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  const looksLikeOne =
    error instanceof DomainError ||
    (error instanceof Error &&
      error.name === 'DomainError' &&
      isDomainErrorCode((error as { code?: unknown }).code));
  return looksLikeOne && (code === undefined || (error as DomainError).code === code);
}
