// CSV uploads via papaparse: BOM dropped, separator (`;`, `,` or tab) detected, quoted values honoured. Row
// numbers in the report are the file's line numbers (a quoted value spanning lines would shift them; IIN files
// do not have those).
import Papa from 'papaparse';
import { pickIinColumn } from './iin-column-pick';
import { UploadError } from './upload-error';
import { buildUploadResult, checkRowLimit, type UploadProgress, type UploadResult } from './upload-result';

export function parseCsvUpload(input: Uint8Array | string, onProgress?: UploadProgress): UploadResult {
  // TextDecoder drops a UTF-8 BOM; a string may still start with one.
  const text = (typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input)).replace(
    /^\uFEFF/,
    '',
  );
  // Parsed in chunks so a big file reports progress; only the cells of the IIN column are kept.
  const rows: string[][] = [];
  const delimiter = detectDelimiter(text);
  let rowsRead = 0;
  const config: Papa.ParseConfig<string[]> & {
    chunkSize: number;
    chunk: (results: Papa.ParseResult<string[]>) => void;
  } = {
    delimiter,
    skipEmptyLines: false,
    header: false,
    chunkSize: 1 << 20,
    chunk: (results) => {
      for (const row of results.data) rows.push(row);
      rowsRead += results.data.length;
      checkRowLimit(trimmedLength(rows));
      onProgress?.(rowsRead);
    },
  };
  // @types/papaparse types `chunk` for files only; papaparse streams a string in chunks the same way.
  Papa.parse<string[]>(text, config as unknown as Papa.ParseWorkerConfig<string[]>);

  // A trailing newline (or several) is not a row.
  const end = trimmedLength(rows);
  if (end === 0) throw new UploadError('UPLOAD.EMPTY', 'the file has no rows');
  const column = pickIinColumn(rows[0]!);
  const start = column.hasHeader ? 1 : 0;
  const values = new Array<string>(end - start);
  for (let r = start; r < end; r++) values[r - start] = rows[r]![column.index] ?? '';
  return buildUploadResult('csv', column, values, start + 1, { delimiter });
}

function trimmedLength(rows: string[][]): number {
  let end = rows.length;
  while (end > 0 && isBlank(rows[end - 1]!)) end--;
  return end;
}

function isBlank(row: string[]): boolean {
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
