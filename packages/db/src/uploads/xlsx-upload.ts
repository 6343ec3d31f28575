// XLSX uploads via exceljs's streaming WorkbookReader (first worksheet only), so a million-row sheet is never
// held as a workbook. Excel stores IINs typed as numbers without their leading zero; core's column parser
// restores it when the padded value is a valid IIN. Row numbers are the sheet's row numbers.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { pickIinColumn } from './iin-column-pick';
import { UploadError } from './upload-error';
import {
  buildUploadResult,
  checkRowLimit,
  PROGRESS_EVERY_ROWS,
  type UploadProgress,
  type UploadResult,
} from './upload-result';

type Cell = string | number | null | undefined;

/** Reads a workbook from a file path or its bytes. */
export async function parseXlsxUpload(
  input: string | Uint8Array,
  onProgress?: UploadProgress,
): Promise<UploadResult> {
  const source =
    typeof input === 'string'
      ? input
      : Readable.from([Buffer.from(input.buffer, input.byteOffset, input.byteLength)]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  let firstRow: Cell[] | undefined;
  let firstRowNumber = 0;
  // Values of every row after the first, by sheet row number; the IIN column is picked once the first row is seen.
  let column: ReturnType<typeof pickIinColumn> | undefined;
  const values: Cell[] = [];
  let lastRow = 0;
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const cells = (row.values as unknown[]).slice(1).map(cellValue); // exceljs rows are 1-based
        if (firstRow === undefined) {
          if (cells.every((c) => c === null || String(c).trim() === '')) continue;
          firstRow = cells;
          firstRowNumber = row.number;
          column = pickIinColumn(cells);
          if (!column.hasHeader) values.push(cells[column.index]);
          lastRow = row.number;
          continue;
        }
        checkRowLimit(row.number);
        // Rows the sheet skips (blank) stay in the report as empty rows, so row numbers match the sheet.
        for (let gap = lastRow + 1; gap < row.number; gap++) values.push(null);
        values.push(cells[column!.index]);
        lastRow = row.number;
        if (onProgress && values.length % PROGRESS_EVERY_ROWS === 0) onProgress(values.length);
      }
      break; // first worksheet only
    }
  } catch (error) {
    if (error instanceof UploadError) throw error;
    throw new UploadError(
      'UPLOAD.UNREADABLE',
      `not a readable .xlsx file (${(error as Error).message})`,
      {},
      { cause: error },
    );
  }
  if (firstRow === undefined || column === undefined)
    throw new UploadError('UPLOAD.EMPTY', 'the first worksheet has no rows');
  // Trailing empty cells are not rows.
  while (values.length > 0 && isEmpty(values[values.length - 1])) values.pop();
  onProgress?.(values.length);
  const firstDataRow = column.hasHeader ? firstRowNumber + 1 : firstRowNumber;
  return buildUploadResult('xlsx', column, values, firstDataRow);
}

function isEmpty(cell: Cell): boolean {
  return cell === null || cell === undefined || String(cell).trim() === '';
}

/** exceljs cell values: numbers, strings, rich text, formulas (their result), hyperlinks, dates, errors. */
function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const v = value as {
      richText?: Array<{ text: string }>;
      result?: unknown;
      text?: unknown;
      error?: string;
    };
    if (v.richText) return v.richText.map((r) => r.text).join('');
    if ('result' in v) return cellValue(v.result);
    if (v.text !== undefined) return cellValue(v.text);
    if (v.error !== undefined) return v.error;
  }
  return String(value);
}
