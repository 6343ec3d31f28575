// Why a dataset could not be used. A dataset problem never stops the pipeline (seed: "continue with available
// data"): the step is skipped and the problem becomes a warning. The codes are stable; clients match on them.

export const DATASET_PROBLEMS = {
  'DATASET.NOT_REGISTERED': 'no dataset of that name or kind in the registry',
  'DATASET.FILE_MISSING': 'the file named in the registry does not exist',
  'DATASET.UNREADABLE': 'the file could not be read or is not valid parquet',
  'DATASET.IIN_COLUMN_MISSING': 'the file has no column of the registered IIN column name',
  'DATASET.IIN_COLUMN_TYPE': 'the IIN column is neither integer, float nor text',
  'DATASET.VALUE_COLUMN_MISSING': 'the file has no column of the registered value column name',
  'DATASET.WRONG_KIND': 'the dataset is registered for another kind of filter',
  'DATASET.NO_OFF_LIMIT_ROWS': 'contact pressure was asked for but no off-limit rows were given',
} as const;

export type DatasetProblemCode = keyof typeof DATASET_PROBLEMS;

/** Thrown by the decoders; callers turn it into a skipped step with a warning. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  readonly code: DatasetProblemCode;

  constructor(code: DatasetProblemCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isDatasetError(error: unknown): error is DatasetError {
  return (
    error instanceof Error &&
    error.name === 'DatasetError' &&
    Object.hasOwn(DATASET_PROBLEMS, (error as DatasetError).code)
  );
}
