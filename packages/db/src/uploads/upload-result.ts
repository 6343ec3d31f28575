// What every upload reader returns: core's IIN report (row numbers as in the file) and the column it used.
import { type IinColumnReport, parseIinColumn } from '@campaigns/core';
import { type IinColumnChoice, MAX_UPLOAD_ROWS } from './iin-column-pick';
import { UploadError } from './upload-error';

export interface UploadResult {
  format: 'csv' | 'xlsx' | 'text';
  column: IinColumnChoice;
  /** File row (line) number of the first data row. */
  firstDataRow: number;
  report: IinColumnReport;
  /** CSV only: the separator found. */
  delimiter?: string;
}

export type UploadProgress = (rowsRead: number) => void;

export interface UploadOptions {
  /** The IIN column (0-based) the marketer picked among the candidates of an earlier read. */
  column?: number | undefined;
}

/** Rows between progress callbacks. */
export const PROGRESS_EVERY_ROWS = 65_536;

export function checkRowLimit(rows: number): void {
  if (rows > MAX_UPLOAD_ROWS) {
    throw new UploadError(
      'UPLOAD.TOO_MANY_ROWS',
      `the file has more than ${MAX_UPLOAD_ROWS.toLocaleString('en')} rows (Excel's limit); split it`,
      { limit: MAX_UPLOAD_ROWS },
    );
  }
}

export function buildUploadResult(
  format: UploadResult['format'],
  column: IinColumnChoice,
  values: ArrayLike<string | number | null | undefined>,
  firstDataRow: number,
  extra: { delimiter?: string } = {},
): UploadResult {
  const report = parseIinColumn(values, { firstRowNumber: firstDataRow });
  return { format, column, firstDataRow, report, ...extra };
}
