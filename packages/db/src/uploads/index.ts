// Upload readers: CSV, XLSX and pasted text -> core's IIN column report plus the column used.
export { parseCsvUpload } from './csv-upload';
export type { IinColumnCandidate, IinColumnChoice } from './iin-column-pick';
export { COLUMN_SAMPLE_ROWS, looksLikeIin, MAX_UPLOAD_ROWS, pickIinColumn } from './iin-column-pick';
// parseUpload and parseXlsxUpload stay out of the entry: they load exceljs, which only the upload worker needs
// (upload-worker-entry.ts imports them itself); the API thread imports this entry.
export type { UploadFormat } from './parse-upload';
export { parsePastedIins } from './pasted-upload';
export { isZip, tableText } from './table-text';
export type { UploadProblemCode } from './upload-error';
export { isUploadError, UPLOAD_ERROR_CODES, UploadError } from './upload-error';
export type { UploadOptions, UploadProgress, UploadResult } from './upload-result';
export {
  MAX_LISTED_ROWS,
  SAMPLE_ROWS,
  type UploadListing,
  type UploadSummary,
  uploadRowsPage,
  uploadSample,
  uploadSummary,
} from './upload-summary';
export { type ParsedUpload, smallUploadBytes, UploadParser, type UploadWorkerInput } from './upload-worker';
export { checkXlsxBounds, XLSX_BOUNDS, type XlsxBounds } from './xlsx-bounds';
