// XLSX uploads via exceljs's streaming WorkbookReader (first worksheet only), so a million-row sheet is never
// held as a workbook, after xlsx-bounds.ts has checked what the archive unpacks to. Excel stores IINs typed as numbers without their leading zero; core's column parser
// restores it when the padded value is a valid IIN. Row numbers are the sheet's row numbers.
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { COLUMN_SAMPLE_ROWS, type IinColumnChoice, pickIinColumn } from './iin-column-pick';
import { isZip } from './table-text';
import { UploadError } from './upload-error';
import {
  buildUploadResult,
  checkRowLimit,
  PROGRESS_EVERY_ROWS,
  type UploadOptions,
  type UploadProgress,
  type UploadResult,
} from './upload-result';
import { checkXlsxBounds } from './xlsx-bounds';

type Cell = string | number | null | undefined;

/**
 * Reads a workbook from a file path or its bytes, within the bounds of xlsx-bounds.ts (checked first, so a zip
 * bomb fails in its first megabytes of output instead of building its 400 MB cell).
 */
export async function parseXlsxUpload(
  input: string | Uint8Array,
  onProgress?: UploadProgress,
  options: UploadOptions = {},
): Promise<UploadResult> {
  const bytes = typeof input === 'string' ? new Uint8Array(await readFile(input)) : input;
  if (!isZip(bytes))
    throw new UploadError(
      'UPLOAD.UNREADABLE',
      'not a readable .xlsx file (it is not an Excel workbook); save it as .xlsx or .csv',
    );
  await checkXlsxBounds(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(
    Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]),
    { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' },
  );
  // The first rows are kept whole (with their sheet row numbers) to pick the IIN column; then only its cells.
  const head: Array<{ number: number; cells: Cell[] }> = [];
  let column: IinColumnChoice | undefined;
  let firstDataRow = 0;
  const values: Cell[] = [];
  let lastRow = 0;
  const push = (number: number, cell: Cell) => {
    // Rows the sheet skips (blank) stay in the report as empty rows, so row numbers match the sheet.
    for (let gap = lastRow + 1; gap < number; gap++) values.push(null);
    values.push(cell);
    lastRow = number;
  };
  const decide = () => {
    const [first, ...rest] = head;
    column = pickIinColumn(
      first!.cells,
      rest.map((r) => r.cells),
      options.column,
    );
    firstDataRow = column.hasHeader ? first!.number + 1 : first!.number;
    lastRow = firstDataRow - 1;
    for (const row of column.hasHeader ? rest : head) push(row.number, row.cells[column.index]);
  };
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        checkRowLimit(row.number);
        const cells = (row.values as unknown[]).slice(1).map(cellValue); // exceljs rows are 1-based
        if (column === undefined) {
          if (head.length === 0 && cells.every(isEmpty)) continue;
          head.push({ number: row.number, cells });
          if (head.length > COLUMN_SAMPLE_ROWS) decide();
          continue;
        }
        push(row.number, cells[column.index]);
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
  if (column === undefined) {
    if (head.length === 0) throw new UploadError('UPLOAD.EMPTY', 'the first worksheet has no rows');
    decide();
  }
  // Trailing empty cells are not rows.
  while (values.length > 0 && isEmpty(values[values.length - 1])) values.pop();
  onProgress?.(values.length);
  return buildUploadResult('xlsx', column!, values, firstDataRow);
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
