// Which column of an upload holds the IINs. A column the marketer chose wins; else the one headed exactly IIN /
// ИИН (any case, trimmed); else the column whose first rows hold the most valid IINs. When several columns could
// hold IINs (a header mentioning IIN, or mostly IIN-like values) all of them are listed as candidates, so the
// marketer sees which one was used and can pick another. A first row whose cell already looks like an IIN is
// data, not a header.
import { validateIin } from '@campaigns/core';
import { UploadError } from './upload-error';

/** Excel's row limit: larger uploads are refused rather than half read. */
export const MAX_UPLOAD_ROWS = 1_048_576;

/** Rows after the first that the picker looks at to judge which columns hold IINs. */
export const COLUMN_SAMPLE_ROWS = 50;

const IIN_HEADERS = new Set(['iin', 'иин']);
const MENTIONS_IIN = /(^|[^a-zа-яё])(iin|иин)([^a-zа-яё]|$)/;

export interface IinColumnCandidate {
  /** 0-based column index. */
  index: number;
  /** The header text, or null when the file has no header row. */
  header: string | null;
  /** Of the first `sampled` data rows, how many hold a valid IIN in this column. */
  validInSample: number;
  sampled: number;
}

export interface IinColumnChoice {
  /** 0-based column index. */
  index: number;
  /** The header text, or null when the file has no header row. */
  header: string | null;
  /** True when the first row is a header (data starts on the next row). */
  hasHeader: boolean;
  /** How the column was found. */
  chosenBy: 'marketer' | 'header' | 'values' | 'only_column';
  /** Every column that could hold IINs, best first; two or more mean the marketer should confirm the choice. */
  candidates: IinColumnCandidate[];
}

type Cell = string | number | null | undefined;

/** 11 or 12 digits (spaces allowed), or a number of that size: an IIN, not a header. */
export function looksLikeIin(cell: Cell): boolean {
  if (typeof cell === 'number') return Number.isInteger(cell) && cell >= 1e8 && cell < 1e12;
  if (typeof cell !== 'string') return false;
  const digits = cell.replace(/\s+/g, '');
  return /^\d{9,12}$/.test(digits);
}

function headerKey(cell: Cell): string {
  return String(cell ?? '')
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();
}

/** A column's name for messages: its header when it has letters, else its position (never a value from it). */
function columnName(cell: Cell, index: number): string {
  const text = String(cell ?? '').trim();
  return /\p{L}/u.test(text) && text.length <= 64 ? text : `column ${index + 1}`;
}

/**
 * Picks the IIN column from the first row and up to COLUMN_SAMPLE_ROWS rows after it. `chosen` (0-based) is the
 * marketer's pick after seeing the candidates.
 */
export function pickIinColumn(
  firstRow: readonly Cell[],
  sample: ReadonlyArray<readonly Cell[]> = [],
  chosen?: number,
): IinColumnChoice {
  const hasHeader = !firstRow.some(looksLikeIin);
  const dataRows = hasHeader ? sample : [firstRow, ...sample];
  const width = Math.max(firstRow.length, ...dataRows.map((row) => row.length));
  const headerOf = (index: number) => (hasHeader ? String(firstRow[index] ?? '').trim() : null);
  const candidateOf = (index: number): IinColumnCandidate => ({
    index,
    header: headerOf(index),
    validInSample: dataRows.filter((row) => {
      const cell = row[index];
      return cell !== null && cell !== undefined && validateIin(cell).ok;
    }).length,
    sampled: dataRows.length,
  });

  const all = Array.from({ length: width }, (_, index) => candidateOf(index));
  const named = hasHeader ? all.filter((c) => IIN_HEADERS.has(headerKey(firstRow[c.index]))) : [];
  const candidates = all
    .filter(
      (c) =>
        (hasHeader && MENTIONS_IIN.test(headerKey(firstRow[c.index]))) ||
        (c.sampled > 0 && c.validInSample * 2 > c.sampled),
    )
    .sort((a, b) => rank(b, named) - rank(a, named) || a.index - b.index);

  if (chosen !== undefined) {
    if (!Number.isInteger(chosen) || chosen < 0 || chosen >= width) {
      throw new UploadError(
        'UPLOAD.NO_IIN_COLUMN',
        `there is no column ${chosen + 1}: the file has ${width} column(s)`,
        { columns: width },
      );
    }
    return { index: chosen, header: headerOf(chosen), hasHeader, chosenBy: 'marketer', candidates };
  }
  const best = candidates[0];
  if (best) {
    const chosenBy = named.some((c) => c.index === best.index) ? 'header' : 'values';
    return { index: best.index, header: best.header, hasHeader, chosenBy, candidates };
  }
  const filled = firstRow
    .map((cell, index) => ({ cell, index }))
    .filter(({ cell }) => headerKey(cell) !== '');
  if (filled.length <= 1) {
    const index = filled[0]?.index ?? 0;
    return { index, header: headerOf(index), hasHeader, chosenBy: 'only_column', candidates: [] };
  }
  throw new UploadError(
    'UPLOAD.NO_IIN_COLUMN',
    `no column is headed IIN or ИИН, and none holds IINs in its first rows (columns: ${filled.map(({ cell, index }) => columnName(cell, index)).join(', ')}); name the IIN column "IIN" or upload one column`,
    { columns: filled.map(({ cell, index }) => columnName(cell, index)) },
  );
}

/** A column headed exactly IIN comes first, then more valid IINs in the sample. */
function rank(candidate: IinColumnCandidate, named: readonly IinColumnCandidate[]): number {
  const isNamed = named.some((c) => c.index === candidate.index) ? 1 : 0;
  return isNamed * 1e6 + candidate.validInSample;
}
