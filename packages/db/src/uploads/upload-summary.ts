// The report of an upload as the API answers it (the upload job's result, beside `upload_id` and `filename`).
// Counts are always complete; the rows behind them (rejected rows, and warnings such as restored leading zeros)
// are listed in row order up to MAX_LISTED_ROWS each, for the marketer to page through and download.
import type { IinColumnRejection, IinColumnWarning } from '@campaigns/core';
import type { IinColumnCandidate } from './iin-column-pick';
import type { UploadResult } from './upload-result';

/** Rows of each list (rejected, warnings) an upload's stored report keeps, to page through and download. */
export const MAX_LISTED_ROWS = 10_000;

/** Rows of each list a job's result carries (the first ones); the rest are paged from the stored report. */
export const SAMPLE_ROWS = 1_000;

export interface UploadSummary {
  format: string;
  /** The IIN column used: its header, or "column N" when the file has no header row. */
  column: string;
  /** 0-based index of that column (send it back as `column` to pick another candidate). */
  column_index: number;
  /** How it was found: the marketer's pick, its IIN header, its values, or the file's only column. */
  column_chosen_by: 'marketer' | 'header' | 'values' | 'only_column' | 'products';
  /** Every column that could hold IINs, best first; two or more: the marketer confirms or picks another. */
  column_candidates: IinColumnCandidate[];
  first_data_row: number;
  total: number;
  accepted: number;
  duplicates: number;
  rejected_count: number;
  /** Rejected rows in row order (the first MAX_LISTED_ROWS), each with its file row number and reason. */
  rejected: IinColumnRejection[];
  /** Rows accepted with a warning, one entry per warning (restored leading zeros: one per row). */
  warnings_count: number;
  warning_counts: Record<string, number>;
  /** Warnings in row order (the first MAX_LISTED_ROWS), each with its row, value, code and message. */
  warnings: IinColumnWarning[];
}

export function uploadSummary(result: UploadResult): UploadSummary {
  const { report, column } = result;
  const warningsCount = Object.values(report.warningCounts).reduce((sum, n) => sum + n, 0);
  return {
    format: result.format,
    column: column.header || `column ${column.index + 1}`,
    column_index: column.index,
    column_chosen_by: column.chosenBy,
    column_candidates: column.candidates,
    first_data_row: result.firstDataRow,
    total: report.total,
    accepted: report.accepted,
    duplicates: report.duplicates,
    rejected_count: report.rejected.length,
    rejected: report.rejected.slice(0, MAX_LISTED_ROWS),
    warnings_count: warningsCount,
    warning_counts: report.warningCounts,
    warnings: report.warnings.slice(0, MAX_LISTED_ROWS),
  };
}

/** The report as a job's result carries it: the first SAMPLE_ROWS of each list, the counts in full. */
export function uploadSample(summary: UploadSummary, rows = SAMPLE_ROWS): UploadSummary & UploadListing {
  return {
    ...summary,
    rejected: summary.rejected.slice(0, rows),
    warnings: summary.warnings.slice(0, rows),
    rejected_listed: summary.rejected.length,
    warnings_listed: summary.warnings.length,
  };
}

/** How many rows of each list the stored report keeps (and so can be paged: `audiences.uploadRows`). */
export interface UploadListing {
  rejected_listed: number;
  warnings_listed: number;
}

/** One page of a stored report's list, in row order. */
export function uploadRowsPage(
  summary: Pick<UploadSummary, 'rejected' | 'warnings' | 'rejected_count' | 'warnings_count'>,
  list: 'rejected' | 'warnings',
  offset: number,
  limit: number,
) {
  const rows = list === 'rejected' ? summary.rejected : summary.warnings;
  return {
    list,
    offset,
    rows: rows.slice(offset, offset + limit),
    listed: rows.length,
    total: list === 'rejected' ? summary.rejected_count : summary.warnings_count,
  };
}
