// One entry for every uploaded file: a zip is read as .xlsx whatever its name; a file named .xlsx that is no zip is
// refused (xlsx-upload.ts says so); otherwise the declared format tells pasted text from a CSV file.
import { parseCsvUpload } from './csv-upload';
import { parsePastedIins } from './pasted-upload';
import { isZip } from './table-text';
import type { UploadOptions, UploadProgress, UploadResult } from './upload-result';
import { parseXlsxUpload } from './xlsx-upload';

export type UploadFormat = 'csv' | 'xlsx' | 'text';

export async function parseUpload(
  format: UploadFormat,
  bytes: Uint8Array,
  onProgress?: UploadProgress,
  options: UploadOptions = {},
): Promise<UploadResult> {
  if (isZip(bytes) || format === 'xlsx') return parseXlsxUpload(bytes, onProgress, options);
  if (format === 'text') return parsePastedIins(bytes);
  return parseCsvUpload(bytes, onProgress, options);
}
