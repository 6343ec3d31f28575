// CSV uploads via papaparse: UTF-8 or UTF-16 (table-text.ts), BOM dropped, separator (`;`, `,`, tab or `|`)
// detected, quoted values honoured, an unterminated quote refused. Row numbers in the report are the file's line
// numbers (a quoted value spanning lines would shift them; IIN files do not have those).
import Papa from 'papaparse';
import { COLUMN_SAMPLE_ROWS, pickIinColumn } from './iin-column-pick';
import { tableText } from './table-text';
import { UploadError } from './upload-error';
import {
  buildUploadResult,
  checkRowLimit,
  type UploadOptions,
  type UploadProgress,
  type UploadResult,
} from './upload-result';

type Row = string[];

export function parseCsvUpload(
  input: Uint8Array | string,
  onProgress?: UploadProgress,
  options: UploadOptions = {},
): UploadResult {
  const text = tableText(input);
  const delimiter = detectDelimiter(text);
  // The first rows are kept whole to pick the IIN column; after that only that column's cell of each row.
  const head: Row[] = [];
  let column: ReturnType<typeof pickIinColumn> | undefined;
  const values: string[] = [];
  let rowsRead = 0;
  let blankTail = 0;
  const take = (row: Row) => {
    if (column === undefined) {
      if (head.length === 0 && isBlank(row)) {
        values.push(''); // a blank first line still counts as a line
        return;
      }
      head.push(row);
      if (head.length > COLUMN_SAMPLE_ROWS) decide();
      return;
    }
    values.push(row[column.index] ?? '');
    blankTail = isBlank(row) ? blankTail + 1 : 0;
  };
  let leadingBlank = 0;
  const decide = () => {
    leadingBlank = values.length;
    values.length = 0;
    const [first, ...rest] = head;
    column = pickIinColumn(first!, rest, options.column);
    for (const row of column.hasHeader ? rest : head) {
      values.push(row[column.index] ?? '');
      blankTail = isBlank(row) ? blankTail + 1 : 0;
    }
  };
  const config: Papa.ParseConfig<Row> & {
    chunkSize: number;
    chunk: (results: Papa.ParseResult<Row>) => void;
  } = {
    delimiter,
    skipEmptyLines: false,
    header: false,
    chunkSize: 1 << 20,
    chunk: (results) => {
      const unterminated = results.errors.find((e) => e.code === 'MissingQuotes');
      if (unterminated) {
        const line = rowsRead + (unterminated.row ?? 0) + 1;
        throw new UploadError(
          'UPLOAD.UNTERMINATED_QUOTE',
          `the quote (") opened on line ${line.toLocaleString('en')} is never closed, so the rest of the file would be one value; fix or remove it`,
          { line },
        );
      }
      for (const row of results.data) take(row);
      rowsRead += results.data.length;
      checkRowLimit(rowsRead - blankTail);
      onProgress?.(rowsRead);
    },
  };
  // @types/papaparse types `chunk` for files only; papaparse streams a string in chunks the same way.
  Papa.parse<Row>(text, config as unknown as Papa.ParseWorkerConfig<Row>);
  if (column === undefined) {
    if (head.length === 0 || head.every(isBlank))
      throw new UploadError('UPLOAD.EMPTY', 'the file has no rows');
    decide();
  }
  const chosen = column!;
  // A trailing newline (or several) is not a row.
  values.length -= blankTail;
  if (values.length === 0 && !chosen.hasHeader) throw new UploadError('UPLOAD.EMPTY', 'the file has no rows');
  const firstDataRow = leadingBlank + (chosen.hasHeader ? 2 : 1);
  return buildUploadResult('csv', chosen, values, firstDataRow, { delimiter });
}

function isBlank(row: Row): boolean {
  return row.every((cell) => cell.trim() === '');
}

const DELIMITERS = [';', ',', '\t', '|'] as const;

/**
 * The separator used most on the first line (outside quotes); ',' when none is. papaparse's own guess wants two
 * or more fields on (almost) every line, which a short two-column file with a trailing newline fails.
 */
function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, counts.get(c)! + 1);
  }
  let best = ',';
  let bestCount = 0;
  for (const [d, n] of counts) {
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}
