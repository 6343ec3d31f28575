// Pasted IIN lists: what a marketer copies from a spreadsheet column or a message.

/** Splits pasted text into values: one per line, or separated by commas, semicolons, tabs or spaces. */
export function splitPasted(text: string): string[] {
  return text.split(/[\s,;]+/).filter((value) => value !== '');
}
