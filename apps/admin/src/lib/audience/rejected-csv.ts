// The validation report's rejected rows as a CSV a marketer can open in Excel (UTF-8 with BOM, `;`-safe quoting).

export interface RejectedRow {
  row: number;
  value: string;
  reason: string;
  message: string;
}

function quote(text: string): string {
  // Quote every field that could break the row, and neutralise spreadsheet formulas in user-supplied values.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",;\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function rejectedRowsCsv(rows: readonly RejectedRow[]): string {
  const lines = ['row,value,reason,message'];
  for (const r of rows)
    lines.push([String(r.row), quote(r.value), quote(r.reason), quote(r.message)].join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
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
