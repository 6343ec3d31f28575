import { unzipSync } from 'fflate';
import type { Cell } from './iin-column-choice';

// A minimal XLSX reader for one column of IINs: the first worksheet's cells as text or numbers. Numbers stay numbers
// so core's rule can recover an Excel-dropped leading zero. (exceljs would add ~1 MB to the page for this.)

function columnIndex(ref: string): number {
  let index = 0;
  for (const ch of ref) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}

function xml(bytes: Uint8Array | undefined): Document | null {
  if (!bytes) return null;
  return new DOMParser().parseFromString(new TextDecoder().decode(bytes), 'application/xml');
}

function firstSheetPath(files: Record<string, Uint8Array>): string | undefined {
  const sheets = Object.keys(files).filter((p) => /^xl\/worksheets\/sheet\d+\.xml$/.test(p));
  sheets.sort((a, b) => Number(/\d+/.exec(a)?.[0]) - Number(/\d+/.exec(b)?.[0]));
  return sheets[0];
}

/** Rows of the first worksheet (each a sparse array of cells by column). */
export function readXlsxRows(data: Uint8Array): Cell[][] {
  const files = unzipSync(data, { filter: (f) => f.name.startsWith('xl/') });
  const shared: string[] = [];
  const sst = xml(files['xl/sharedStrings.xml']);
  for (const si of Array.from(sst?.getElementsByTagName('si') ?? [])) {
    shared.push(
      Array.from(si.getElementsByTagName('t'))
        .map((t) => t.textContent ?? '')
        .join(''),
    );
  }
  const sheetPath = firstSheetPath(files);
  const sheet = xml(sheetPath ? files[sheetPath] : undefined);
  if (!sheet) throw new Error('The workbook has no worksheet.');
  const rows: Cell[][] = [];
  for (const row of Array.from(sheet.getElementsByTagName('row'))) {
    const cells: Cell[] = [];
    for (const c of Array.from(row.getElementsByTagName('c'))) {
      const index = columnIndex(c.getAttribute('r') ?? 'A');
      const type = c.getAttribute('t');
      const v = c.getElementsByTagName('v')[0]?.textContent ?? null;
      let value: Cell = null;
      if (type === 's') value = v === null ? null : (shared[Number(v)] ?? null);
      else if (type === 'inlineStr') value = c.getElementsByTagName('t')[0]?.textContent ?? null;
      else if (type === 'str' || type === 'b' || type === 'e') value = v;
      else value = v === null ? null : Number(v);
      cells[index] = value;
    }
    rows.push(cells);
  }
  return rows;
}
