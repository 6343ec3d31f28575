// Turns an uploaded file's bytes into the text of a table, or says why it is not one. Excel on Windows saves
// "Unicode text" as UTF-16 (with a BOM, tab-separated); some tools write UTF-16 without one. A JSON document or
// a binary file (an image, a PDF, a renamed archive) is refused as not a table instead of becoming rows of noise.
import { UploadError } from './upload-error';

/** True when the bytes are a zip archive (an .xlsx is one), whatever the file is called. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** UTF-16 without a BOM: in the first KB, most code units of text have a zero high byte on one side. */
function utf16Guess(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length, 1024) & ~1;
  if (n < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zeroEven++;
    if (bytes[i + 1] === 0) zeroOdd++;
  }
  const half = n / 2;
  if (zeroOdd > half * 0.6 && zeroEven < half * 0.1) return 'utf-16le';
  if (zeroEven > half * 0.6 && zeroOdd < half * 0.1) return 'utf-16be';
  return null;
}

function encodingOf(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return utf16Guess(bytes) ?? 'utf-8';
}

const notATable = (why: string) =>
  new UploadError('UPLOAD.NOT_A_TABLE', `${why}; upload a CSV, an .xlsx or a list of IINs`);

/** Control characters other than tab, CR, LF (and the replacement character of undecodable bytes). */
function binaryShare(text: string): number {
  const n = Math.min(text.length, 4096);
  let odd = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) odd++;
  }
  return n === 0 ? 0 : odd / n;
}

/** The decoded text of a CSV or pasted list, BOM dropped; UPLOAD.NOT_A_TABLE for JSON, archives and binaries. */
export function tableText(input: Uint8Array | string): string {
  if (typeof input !== 'string' && isZip(input)) {
    throw notATable('this is a zip archive (an .xlsx file named otherwise?), not a text table');
  }
  const text = (typeof input === 'string' ? input : new TextDecoder(encodingOf(input)).decode(input)).replace(
    /^\uFEFF/,
    '',
  );
  if (text.includes('\u0000') || binaryShare(text) > 0.05)
    throw notATable('this is a binary file, not a table');
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) {
    try {
      JSON.parse(text);
      throw notATable('this is a JSON document, not a table');
    } catch (error) {
      if (error instanceof UploadError) throw error;
      if (start.startsWith('{')) throw notATable('this looks like JSON, not a table');
    }
  }
  return text;
}
