// One CSV cell that a spreadsheet opens as the text it is: quoted when it holds a separator, a quote or a line
// break, and never run as a formula (OWASP "CSV injection": a leading = + - @ tab or CR gets a leading ').

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(text: string): string {
  const safe = formulaStart.test(text) ? `'${text}` : text;
  return /[",;\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows of cells as CSV text: UTF-8 BOM (Excel reads the encoding from it), CRLF line ends. */
export function csvText(rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return `\uFEFF${rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
