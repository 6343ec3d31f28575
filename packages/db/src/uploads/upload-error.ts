// Why an upload could not be read at all (rows that are read but rejected go in the IIN report instead).
import { CodedError, type ErrorKind } from '@campaigns/core/rules';

/** Every upload code with its kind (core's ErrorKind; the edge maps kinds to statuses). */
export const UPLOAD_ERROR_CODES = {
  'UPLOAD.NO_IIN_COLUMN': 'invalid_input',
  'UPLOAD.TOO_MANY_ROWS': 'invalid_input',
  'UPLOAD.UNREADABLE': 'invalid_input',
  'UPLOAD.EMPTY': 'invalid_input',
  'UPLOAD.NOT_A_TABLE': 'invalid_input',
  'UPLOAD.UNTERMINATED_QUOTE': 'invalid_input',
  'UPLOAD.TOO_LARGE_UNPACKED': 'invalid_input',
  'UPLOAD.CELL_TOO_LONG': 'invalid_input',
  'UPLOAD.TOO_MANY_STRINGS': 'invalid_input',
  /** The file itself is over the size an upload may have. */
  'UPLOAD.TOO_LARGE': 'too_large',
  /** Too many files already wait for the upload parser: try again shortly. */
  'UPLOAD.BUSY': 'unavailable',
  /** No such upload, another user's, or expired. */
  'UPLOAD.NOT_FOUND': 'not_found',
} as const satisfies Record<string, ErrorKind>;

export type UploadProblemCode = keyof typeof UPLOAD_ERROR_CODES;

export class UploadError extends CodedError<UploadProblemCode> {
  override readonly name = 'UploadError';

  constructor(
    code: UploadProblemCode,
    message: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(UPLOAD_ERROR_CODES, code, message, details, options);
  }
}

export function isUploadError(error: unknown): error is UploadError {
  return error instanceof Error && error.name === 'UploadError';
}
