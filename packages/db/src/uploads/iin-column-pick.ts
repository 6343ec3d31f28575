// Which column of an upload holds the IINs: the one headed IIN / ИИН (any case, trimmed), else the only column.
// A first row whose cell already looks like an IIN is data, not a header.
import { UploadError } from './upload-error';

/** Excel's row limit: larger uploads are refused rather than half read. */
export const MAX_UPLOAD_ROWS = 1_048_576;

const IIN_HEADERS = new Set(['iin', 'иин']);

export interface IinColumnChoice {
  /** 0-based column index. */
  index: number;
  /** The header text, or null when the file has no header row. */
  header: string | null;
  /** True when the first row is a header (data starts on the next row). */
  hasHeader: boolean;
}

type Cell = string | number | null | undefined;

/** 11 or 12 digits (spaces allowed), or a number of that size: an IIN, not a header. */
export function looksLikeIin(cell: Cell): boolean {
  if (typeof cell === 'number') return Number.isInteger(cell) && cell >= 1e9 && cell < 1e12;
  if (typeof cell !== 'string') return false;
  const digits = cell.replace(/\s+/g, '');
  return /^\d{11,12}$/.test(digits);
}

function headerKey(cell: Cell): string {
  return String(cell ?? '')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

export function pickIinColumn(firstRow: readonly Cell[]): IinColumnChoice {
  const named = firstRow.findIndex((cell) => IIN_HEADERS.has(headerKey(cell)));
  if (named >= 0) return { index: named, header: String(firstRow[named]).trim(), hasHeader: true };
  const filled = firstRow
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell }) => headerKey(cell) !== '');
  const iinLike = filled.filter(({ cell }) => looksLikeIin(cell));
  if (iinLike.length === 1) return { index: iinLike[0]!.index, header: null, hasHeader: false };
  if (filled.length === 1)
    return { index: filled[0]!.index, header: String(filled[0]!.cell).trim(), hasHeader: true };
  if (filled.length === 0) return { index: 0, header: null, hasHeader: false };
  throw new UploadError(
    'UPLOAD.NO_IIN_COLUMN',
    `no column is headed IIN or ИИН (columns: ${filled.map(({ cell }) => String(cell).trim()).join(', ')}); name the IIN column "IIN" or upload one column`,
    { columns: filled.map(({ cell }) => String(cell)) },
  );
}
