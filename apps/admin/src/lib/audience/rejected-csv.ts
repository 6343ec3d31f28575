// The validation report's rejected rows as a CSV a marketer can open in Excel (UTF-8 with BOM, `;`-safe quoting).
import { csvText } from '@campaigns/core/rules';

export interface RejectedRow {
  row: number;
  value: string;
  reason: string;
  message: string;
}

/** The rows as CSV with core's cell rule (the audience export's too): quoted where needed, formulas neutralised. */
export function rejectedRowsCsv(rows: readonly RejectedRow[]): string {
  return csvText([
    ['row', 'value', 'reason', 'message'],
    ...rows.map((r) => [String(r.row), r.value, r.reason, r.message]),
  ]);
}

/** Starts a browser download of `text` as a file. */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
