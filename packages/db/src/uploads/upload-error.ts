// Why an upload could not be read at all (rows that are read but rejected go in the IIN report instead).
export type UploadProblemCode =
  | 'UPLOAD.NO_IIN_COLUMN'
  | 'UPLOAD.TOO_MANY_ROWS'
  | 'UPLOAD.UNREADABLE'
  | 'UPLOAD.EMPTY'
  | 'UPLOAD.NOT_A_TABLE'
  | 'UPLOAD.UNTERMINATED_QUOTE'
  | 'UPLOAD.TOO_LARGE_UNPACKED'
  | 'UPLOAD.CELL_TOO_LONG'
  | 'UPLOAD.TOO_MANY_STRINGS';

export class UploadError extends Error {
  override readonly name = 'UploadError';
  readonly code: UploadProblemCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: UploadProblemCode,
    message: string,
    details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isUploadError(error: unknown): error is UploadError {
  return error instanceof Error && error.name === 'UploadError';
}
