// Bounds an .xlsx before exceljs reads it. A 0.41 MB workbook can unpack to one 400 MB cell (a zip bomb): exceljs
// would build that string, and the job keep it. This pass inflates every entry of the archive as a stream, counts
// what it unpacks and scans the XML as it goes, and stops at the first bound passed: the whole archive's unpacked
// size, the longest text between two tags (a cell or a shared string), and the number of shared strings. Nothing
// it reads is kept. The entries must tile the archive as its central directory says, so that no entry hidden from
// the directory (exceljs reads entries in file order) escapes the count.
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { UploadError } from './upload-error';

export interface XlsxBounds {
  /** Bytes the whole archive may unpack to. */
  unpackedBytes: number;
  /** Longest run of text between two tags, in bytes (Excel itself keeps at most 32,767 characters per cell). */
  textRunBytes: number;
  /** Entries of xl/sharedStrings.xml. */
  sharedStrings: number;
}

export const XLSX_BOUNDS: XlsxBounds = {
  unpackedBytes: 512 * 1024 * 1024,
  textRunBytes: 128 * 1024,
  sharedStrings: 2_097_152,
};

interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  localOffset: number;
}

const unreadable = (why: string) =>
  new UploadError('UPLOAD.UNREADABLE', `not a readable .xlsx file (${why})`);

function centralDirectory(bytes: Uint8Array): { entries: ZipEntry[]; directoryOffset: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw unreadable('no zip directory');
  const count = view.getUint16(eocd + 10, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw unreadable('zip64 archives are not read');
  const entries: ZipEntry[] = [];
  let at = directoryOffset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50)
      throw unreadable('a broken zip directory');
    const nameLength = view.getUint16(at + 28, true);
    entries.push({
      flags: view.getUint16(at + 8, true),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      localOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return { entries, directoryOffset };
}

/** Where each entry's data lies; refuses an archive whose entries leave room for others the directory omits. */
function entryData(
  bytes: Uint8Array,
  entries: ZipEntry[],
  directoryOffset: number,
): Array<{ entry: ZipEntry; data: Uint8Array }> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sorted = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let expected = 0;
  const located = sorted.map((entry) => {
    const at = entry.localOffset;
    // A data descriptor (flag bit 3) may follow the previous entry: 12 or 16 bytes, with or without its signature.
    if (at < expected || at > expected + 16) throw unreadable('data outside the zip directory');
    if (at + 30 > bytes.length || view.getUint32(at, true) !== 0x04034b50)
      throw unreadable('a broken zip entry');
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > directoryOffset) throw unreadable('an entry runs past the zip directory');
    expected = end;
    return { entry, data: bytes.subarray(start, end) };
  });
  if (directoryOffset > expected + 16) throw unreadable('data outside the zip directory');
  return located;
}

/** Scans unpacked XML for the longest text run and the number of `<si>` elements, across chunk boundaries. */
class XmlScan {
  run = 0;
  longestRun = 0;
  elements = 0;
  #afterLt = -1; // bytes matched of "si" after a '<', -1 when not just after one

  constructor(private readonly maxRun: number) {}

  feed(chunk: Uint8Array): boolean {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.#afterLt >= 0) {
        if (this.#afterLt === 0 && b === 0x73)
          this.#afterLt = 1; // s
        else if (this.#afterLt === 1 && b === 0x69)
          this.#afterLt = 2; // i
        else {
          if (this.#afterLt === 2 && (b === 0x3e || b === 0x20)) this.elements++; // '>' or ' '
          this.#afterLt = -1;
        }
      }
      if (b === 0x3c) {
        this.#afterLt = 0;
        this.run = 0;
      } else if (b === 0x3e) this.run = 0;
      else if (++this.run > this.maxRun) return false;
    }
    return true;
  }
}

/** Throws an UploadError as soon as the workbook passes a bound; returns when it stays within all of them. */
export async function checkXlsxBounds(bytes: Uint8Array, bounds: XlsxBounds = XLSX_BOUNDS): Promise<void> {
  const { entries, directoryOffset } = centralDirectory(bytes);
  let unpacked = 0;
  const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  for (const { entry, data: compressed } of entryData(bytes, entries, directoryOffset)) {
    if (entry.method !== 0 && entry.method !== 8)
      throw unreadable(`entry ${entry.name} uses compression ${entry.method}`);
    const scan = new XmlScan(bounds.textRunBytes);
    const source = Readable.from([compressed]);
    const chunks: AsyncIterable<Uint8Array> = entry.method === 8 ? source.pipe(createInflateRaw()) : source;
    for await (const chunk of chunks) {
      unpacked += chunk.length;
      if (unpacked > bounds.unpackedBytes) {
        throw new UploadError(
          'UPLOAD.TOO_LARGE_UNPACKED',
          `the workbook unpacks to more than ${mib(bounds.unpackedBytes)}; save only the IIN column (or as CSV) and upload that`,
          { limitBytes: bounds.unpackedBytes },
        );
      }
      if (!scan.feed(chunk)) {
        throw new UploadError(
          'UPLOAD.CELL_TOO_LONG',
          `a cell of ${entry.name} holds more than ${Math.round(bounds.textRunBytes / 1024)} KB of text (Excel itself keeps at most 32,767 characters in a cell)`,
          { limitBytes: bounds.textRunBytes, entry: entry.name },
        );
      }
      if (entry.name === 'xl/sharedStrings.xml' && scan.elements > bounds.sharedStrings) {
        throw new UploadError(
          'UPLOAD.TOO_MANY_STRINGS',
          `the workbook holds more than ${bounds.sharedStrings.toLocaleString('en')} distinct texts; save only the IIN column and upload that`,
          { limit: bounds.sharedStrings },
        );
      }
    }
  }
}
