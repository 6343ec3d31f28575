import Papa from 'papaparse';
import { type Cell, chooseIinColumn } from './iin-column-choice';
import { readXlsxRows } from './read-xlsx';

export interface AudienceColumn {
  values: Cell[];
  /** File row number of values[0] (2 when there is a header). */
  firstRow: number;
  column: string;
}

function fromRows(rows: Cell[][]): AudienceColumn {
  const choice = chooseIinColumn(rows[0] ?? []);
  const data = choice.hasHeader ? rows.slice(1) : rows;
  return {
    values: data.map((row) => row[choice.index] ?? null),
    firstRow: choice.hasHeader ? 2 : 1,
    column: choice.name,
  };
}

/** Reads the IIN column of a CSV in chunks (progress 0..1 as it goes); separators and BOM are detected. */
function readCsv(file: File, onProgress: (fraction: number) => void): Promise<AudienceColumn> {
  return new Promise((resolve, reject) => {
    let choice: ReturnType<typeof chooseIinColumn> | null = null;
    const values: Cell[] = [];
    Papa.parse<string[]>(file, {
      skipEmptyLines: 'greedy',
      chunkSize: 1024 * 1024,
      chunk: (results) => {
        let rows = results.data;
        if (choice === null) {
          choice = chooseIinColumn(rows[0] ?? []);
          if (choice.hasHeader) rows = rows.slice(1);
        }
        const index = choice.index;
        for (const row of rows) values.push(row[index] ?? null);
        onProgress(Math.min(1, results.meta.cursor / Math.max(1, file.size)));
      },
      complete: () => {
        onProgress(1);
        const c = choice ?? { index: 0, name: 'column 1', hasHeader: false };
        resolve({ values, firstRow: c.hasHeader ? 2 : 1, column: c.name });
      },
      error: (error) => reject(error),
    });
  });
}

/** The IIN column of an uploaded CSV or XLSX file. */
export async function readAudienceFile(
  file: File,
  onProgress: (fraction: number) => void,
): Promise<AudienceColumn> {
  if (/\.xlsx$/i.test(file.name)) {
    onProgress(0.1);
    const rows = readXlsxRows(new Uint8Array(await file.arrayBuffer()));
    onProgress(1);
    return fromRows(rows);
  }
  return readCsv(file, onProgress);
}
