// Which column of an uploaded table holds the IINs, and whether the first row is a header.

export type Cell = string | number | null;

export interface ColumnChoice {
  /** Index of the IIN column. */
  index: number;
  /** The header text, or a description like "column 1" when there is no header. */
  name: string;
  /** Whether the first row is a header (data rows then start at file row 2). */
  hasHeader: boolean;
}

const iinHeader = /^(iin|иин|ИИН|user_iin|client_iin|iin_client)$/i;

/**
 * The column named like an IIN (iin, ИИН, user_iin...) when the first row has one; otherwise the first column, with
 * the first row taken as a header only when it holds no digits at all (a real IIN row always has some).
 */
export function chooseIinColumn(firstRow: readonly Cell[]): ColumnChoice {
  const texts = firstRow.map((cell) => (cell === null ? '' : String(cell).trim()));
  const named = texts.findIndex((text) => iinHeader.test(text));
  if (named >= 0) return { index: named, name: texts[named] ?? '', hasHeader: true };
  const first = texts[0] ?? '';
  const looksLikeHeader = first !== '' && !/\d/.test(first);
  return { index: 0, name: looksLikeHeader ? first : 'column 1', hasHeader: looksLikeHeader };
}

/** Splits pasted text into values: one per line, or separated by commas, semicolons, tabs or spaces. */
export function splitPasted(text: string): string[] {
  return text.split(/[\s,;]+/).filter((value) => value !== '');
}
