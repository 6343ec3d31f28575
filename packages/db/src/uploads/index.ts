// Upload readers: CSV, XLSX and pasted text -> core's IIN column report plus the column used.
export { parseCsvUpload } from './csv-upload';
export type { IinColumnChoice } from './iin-column-pick';
export { looksLikeIin, MAX_UPLOAD_ROWS, pickIinColumn } from './iin-column-pick';
export { parsePastedIins } from './pasted-upload';
export type { UploadProblemCode } from './upload-error';
export { isUploadError, UploadError } from './upload-error';
export type { UploadProgress, UploadResult } from './upload-result';
export { parseXlsxUpload } from './xlsx-upload';
