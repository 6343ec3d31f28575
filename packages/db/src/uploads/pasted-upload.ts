// IINs pasted into a text box: one per line, or separated by commas, semicolons, tabs or spaces. Row numbers in
// the report count the pasted items (1 = first IIN), which equal line numbers when there is one IIN per line.
import { tableText } from './table-text';
import { buildUploadResult, checkRowLimit, type UploadResult } from './upload-result';

export function parsePastedIins(input: string | Uint8Array): UploadResult {
  const items = tableText(input)
    .split(/[\s,;]+/)
    .filter((item) => item !== '');
  // A pasted header is dropped the same way a file's would be.
  const hasHeader = items.length > 0 && /^(iin|иин)$/i.test(items[0]!);
  const values = hasHeader ? items.slice(1) : items;
  checkRowLimit(values.length);
  const column = {
    index: 0,
    header: hasHeader ? items[0]! : null,
    hasHeader,
    chosenBy: 'only_column' as const,
    candidates: [],
  };
  return buildUploadResult('text', column, values, 1);
}
