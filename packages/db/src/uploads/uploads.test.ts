import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { completeIin, formatIin } from '@campaigns/core';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkXlsxBounds,
  decodeIinSnapshot,
  generateIins,
  isUploadError,
  MAX_UPLOAD_ROWS,
  parseCsvUpload,
  parsePastedIins,
  seededRandom,
  smallUploadBytes,
  UploadParser,
  uploadSummary,
  XLSX_BOUNDS,
} from '../index';
import { inlineRow, writeZip, xlsxWithRows, zipBombXlsx } from './fixtures/index';
import { parseUpload } from './parse-upload';
import { parseXlsxUpload } from './xlsx-upload';

const valid = (first11: string) => {
  const iin = completeIin(first11);
  if (iin === null) throw new Error(`${first11} is never issued`);
  return iin;
};
const A = valid('90010130000'); // 900101300007
const B = valid('85020240012');
const Z = valid('05050550001'); // born 2005: as an Excel number it loses its leading zero

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'uploads-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseCsvUpload', () => {
  it('reads a CSV with a BOM and `;` separators, finds the ИИН column, reports file line numbers', () => {
    const csv = `\uFEFFФИО;ИИН;город\r\n"Иванов; Иван";${A};Алматы\r\nПетров;12345;Астана\r\nСидоров;"${B}";Шымкент\r\nДубль;${A};Алматы\r\n`;
    const result = parseCsvUpload(new TextEncoder().encode(csv));
    expect(result.delimiter).toBe(';');
    expect(result.column).toMatchObject({ index: 1, header: 'ИИН', hasHeader: true, chosenBy: 'header' });
    expect(result.report.accepted).toBe(2);
    expect([...result.report.iins]).toEqual([Number(A), Number(B)]);
    expect(result.report.rejected.map((r) => [r.row, r.reason])).toEqual([
      [3, 'length'],
      [5, 'duplicate'],
    ]);
  });

  it('takes the only column of a header-less comma or tab file as data from line 1', () => {
    const result = parseCsvUpload(`${A}\n${B}\n`);
    expect(result.column.hasHeader).toBe(false);
    expect(result.report.accepted).toBe(2);
    const tabbed = parseCsvUpload(`name\tiin\nx\t${B}\n`);
    expect(tabbed.delimiter).toBe('\t');
    expect([...tabbed.report.iins]).toEqual([Number(B)]);
  });

  it('refuses a file with several columns and none named IIN, naming the columns', () => {
    try {
      parseCsvUpload('name,city\nx,y\n');
      expect.unreachable();
    } catch (error) {
      expect(isUploadError(error) && error.code).toBe('UPLOAD.NO_IIN_COLUMN');
      expect((error as Error).message).toContain('name, city');
    }
  });

  it(`refuses more than ${MAX_UPLOAD_ROWS} rows`, () => {
    const csv = `${`${A}\n`.repeat(MAX_UPLOAD_ROWS)}${A}\n`;
    expect(() => parseCsvUpload(csv)).toThrow(/more than 1,048,576 rows/);
    const fits = `iin\n${`${A}\n`.repeat(MAX_UPLOAD_ROWS - 1)}`;
    expect(parseCsvUpload(fits).report.duplicates).toBe(MAX_UPLOAD_ROWS - 2);
  });
});

describe('parseXlsxUpload', () => {
  it('reads IINs stored as numbers (leading zero lost) and as text, with sheet row numbers', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('clients');
    sheet.addRow(['Name', ' iin ']);
    sheet.addRow(['Zero', Number(Z)]); // 11 digits in the cell
    sheet.addRow(['Text', A]);
    sheet.getRow(5).values = ['Broken', 123];
    sheet.getRow(6).values = ['Number', Number(B)];
    const file = path.join(dir, 'numbers.xlsx');
    await workbook.xlsx.writeFile(file);
    const progress: number[] = [];
    const result = await parseXlsxUpload(file, (rows) => progress.push(rows));
    expect(result.column).toMatchObject({ index: 1, header: 'iin', hasHeader: true, chosenBy: 'header' });
    expect([...result.report.iins]).toEqual([Number(Z), Number(A), Number(B)]);
    expect(result.report.warningCounts['IIN.LEADING_ZERO_RESTORED']).toBe(1);
    expect(result.report.warnings[0]).toMatchObject({ row: 2, code: 'IIN.LEADING_ZERO_RESTORED' });
    expect(result.report.rejected.map((r) => [r.row, r.reason])).toEqual([
      [4, 'empty'],
      [5, 'length'],
    ]);
    expect(progress.at(-1)).toBe(5);
    // The same bytes given in memory read the same.
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    expect((await parseXlsxUpload(bytes)).report.accepted).toBe(3);
  });

  it('reports a file that is not xlsx', async () => {
    await expect(parseXlsxUpload(new TextEncoder().encode('not a zip'))).rejects.toMatchObject({
      code: 'UPLOAD.UNREADABLE',
    });
  });
});

describe('UploadParser', () => {
  it('parses in its own thread with progress in rows; the IINs come sorted and encoded, typed errors keep their code', async () => {
    const parser = new UploadParser();
    try {
      const rows: number[] = [];
      const csv = new TextEncoder().encode(`\uFEFFИИН\n${B}\n${A}\n${B}\n`);
      const parsed = await parser.parse({ format: 'csv', bytes: csv }, (n) => rows.push(n));
      expect(parsed.snapshot.count).toBe(2);
      expect([...(await decodeIinSnapshot(parsed.snapshot.bytes, 2))]).toEqual(
        [Number(B), Number(A)].sort((x, y) => x - y),
      );
      expect(parsed.summary).toMatchObject({ accepted: 2, duplicates: 1, column: 'ИИН' });
      expect(rows.at(-1)).toBeGreaterThanOrEqual(3);
      await expect(
        parser.parse({ format: 'csv', bytes: new TextEncoder().encode('a,b\n1,2\n') }, () => {}),
      ).rejects.toMatchObject({ name: 'UploadError', code: 'UPLOAD.NO_IIN_COLUMN' });
    } finally {
      await parser.close();
    }
  });

  it("hands the file's own buffer to the worker and copies a view on part of one", async () => {
    const parser = new UploadParser();
    try {
      const own = new TextEncoder().encode(`iin\n${A}\n`);
      const shared = new TextEncoder().encode(`iin\n${B}\n${A}\n`);
      const view = shared.subarray(0, `iin\n${B}\n`.length);
      const [first, second] = await Promise.all([
        parser.parse({ format: 'csv', bytes: own }, () => {}),
        parser.parse({ format: 'csv', bytes: view }, () => {}),
      ]);
      expect([first.summary.accepted, second.summary.accepted]).toEqual([1, 1]);
      // Handed over: the caller's array is empty now. The view's buffer holds more, so it stays whole.
      expect(own.byteLength).toBe(0);
      expect(new TextDecoder().decode(shared)).toBe(`iin\n${B}\n${A}\n`);
    } finally {
      await parser.close();
    }
  });

  it('a small file sent while a big one is being read is answered first (its own lane)', async () => {
    const parser = new UploadParser();
    try {
      const million = Array.from(generateIins(1_000_000, seededRandom(7)), (n) => formatIin(n));
      const big = new TextEncoder().encode(`iin\n${million.join('\n')}\n`);
      expect(big.byteLength).toBeGreaterThan(smallUploadBytes);
      const small = new TextEncoder().encode(`iin\n${A}\n${B}\n`);
      // The small lane's worker started (as in a service that has read a file before): the order then depends
      // on the lanes alone, not on how long a worker takes to start on a busy machine.
      await parser.parse({ format: 'csv', bytes: small.slice() }, () => {});
      const answered: string[] = [];
      let reading!: () => void;
      const bigIsReading = new Promise<void>((resolve) => {
        reading = resolve;
      });
      const bigParsed = parser
        .parse({ format: 'csv', bytes: big }, () => reading())
        .then((parsed) => answered.push(`big: ${parsed.summary.accepted}`));
      await bigIsReading;
      const smallParsed = parser
        .parse({ format: 'csv', bytes: small }, () => {})
        .then((parsed) => answered.push(`small: ${parsed.summary.accepted}`));
      await Promise.all([bigParsed, smallParsed]);
      expect(answered).toEqual(['small: 2', 'big: 1000000']);
    } finally {
      await parser.close();
    }
  }, 120_000);

  it('reads any number of files on one worker, one at a time; past the queue an upload is refused as busy', async () => {
    const parser = new UploadParser({ maxWaiting: 2 });
    try {
      const file = (n: number) => new TextEncoder().encode(`iin\n${[A, B, Z].slice(0, n).join('\n')}\n`);
      const refusedOrParsed = await Promise.allSettled(
        [1, 2, 3, 1].map((n) => parser.parse({ format: 'csv', bytes: file(n) }, () => {})),
      );
      // One reading, two waiting, the fourth refused at once; the others each got their own file's answer.
      expect(
        refusedOrParsed.map((o) => (o.status === 'fulfilled' ? o.value.summary.accepted : o.reason.code)),
      ).toEqual([1, 2, 3, 'UPLOAD.BUSY']);
      const bad = parser.parse({ format: 'csv', bytes: new TextEncoder().encode('a,b\n1,2\n') }, () => {});
      await expect(bad).rejects.toMatchObject({ code: 'UPLOAD.NO_IIN_COLUMN' });
      expect((await parser.parse({ format: 'csv', bytes: file(2) }, () => {})).summary.accepted).toBe(2);
      expect(parser.workersStarted).toBe(1);
    } finally {
      await parser.close();
    }
  });
});

describe('parsePastedIins', () => {
  it('accepts one per line or separated by commas and spaces', () => {
    const result = parsePastedIins(`ИИН\n${A}, ${B}\n\n  ${Z.slice(1)}  abc`);
    expect([...result.report.iins]).toEqual([Number(A), Number(B), Number(Z)]);
    expect(result.report.rejected).toEqual([expect.objectContaining({ row: 4, reason: 'non_digit' })]);
  });
});

describe('upload bounds (issue 13, item 1): a zip bomb fails fast, nothing huge is kept', () => {
  it('refuses the 0.41 MB workbook holding one 400 MB cell in its first 128 KB of output', async () => {
    const bomb = zipBombXlsx();
    expect(bomb.byteLength).toBeLessThan(1 << 20);
    const before = process.memoryUsage().rss;
    await expect(parseXlsxUpload(bomb)).rejects.toMatchObject({ code: 'UPLOAD.CELL_TOO_LONG' });
    // The 400 MB string is never built (RSS would grow by more than that).
    expect(process.memoryUsage().rss - before).toBeLessThan(100 << 20);
  });

  it('bounds the unpacked size and the number of shared strings', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => inlineRow(i + 1, [A]));
    const book = xlsxWithRows(rows);
    await expect(checkXlsxBounds(book, { ...XLSX_BOUNDS, unpackedBytes: 64 * 1024 })).rejects.toMatchObject({
      code: 'UPLOAD.TOO_LARGE_UNPACKED',
    });
    await expect(checkXlsxBounds(book)).resolves.toBeUndefined();
    const strings = writeZip([
      {
        name: 'xl/sharedStrings.xml',
        pieces: [new TextEncoder().encode(`<sst>${'<si><t>x</t></si>'.repeat(101)}</sst>`)],
      },
    ]);
    await expect(checkXlsxBounds(strings, { ...XLSX_BOUNDS, sharedStrings: 100 })).rejects.toMatchObject({
      code: 'UPLOAD.TOO_MANY_STRINGS',
    });
  });

  it('refuses an archive with data its directory does not list (an entry hidden from the count)', async () => {
    const book = xlsxWithRows([inlineRow(1, [A])]);
    const hidden = writeZip([{ name: 'x.xml', pieces: [new TextEncoder().encode('<x/>')] }]);
    // The hidden archive's local entry sits before the real ones; the directory still points at the real ones.
    const view = new DataView(book.buffer, book.byteOffset, book.byteLength);
    const eocd = book.byteLength - 22;
    const localBytes = new DataView(hidden.buffer).getUint32(hidden.byteLength - 22 + 16, true);
    const shifted = new Uint8Array(localBytes + book.byteLength);
    shifted.set(hidden.subarray(0, localBytes), 0);
    shifted.set(book, localBytes);
    const shiftedView = new DataView(shifted.buffer);
    // Point the directory (and each entry's local offset) past the hidden entry, as a crafted file would.
    const directoryOffset = view.getUint32(eocd + 16, true);
    shiftedView.setUint32(localBytes + eocd + 16, directoryOffset + localBytes, true);
    let at = localBytes + directoryOffset;
    while (shiftedView.getUint32(at, true) === 0x02014b50) {
      shiftedView.setUint32(at + 42, shiftedView.getUint32(at + 42, true) + localBytes, true);
      at += 46 + shiftedView.getUint16(at + 28, true) + shiftedView.getUint16(at + 30, true);
    }
    await expect(parseXlsxUpload(shifted)).rejects.toMatchObject({ code: 'UPLOAD.UNREADABLE' });
  });

  it('an IIN cell over 64 characters is a rejected row whose value the report cuts', async () => {
    const long = '9'.repeat(5000);
    const result = await parseXlsxUpload(
      xlsxWithRows([inlineRow(1, ['IIN']), inlineRow(2, [long]), inlineRow(3, [A])]),
    );
    expect(result.report.accepted).toBe(1);
    const [rejected] = result.report.rejected;
    expect(rejected).toMatchObject({ row: 2, reason: 'length' });
    expect(rejected!.value.length).toBeLessThanOrEqual(65);
  });
});

describe('issue 12, uploads: lost zeros, files that are not tables, UTF-16, quotes, several IIN columns', () => {
  const born2000 = valid('00060384401'); // January-September 2000: three zeros lost as an Excel number
  const born2000b = valid('00120150012'); // born in 2000: two zeros lost

  it('restores up to three lost leading zeros from Excel numbers, one warning per row', async () => {
    const cells = [born2000, born2000b, Z].map(
      (iin, i) => `<row r="${i + 2}"><c r="A${i + 2}"><v>${Number(iin)}</v></c></row>`,
    );
    const result = await parseXlsxUpload(xlsxWithRows([inlineRow(1, ['IIN']), ...cells]));
    expect([...result.report.iins].map((n) => String(n).padStart(12, '0'))).toEqual([born2000, born2000b, Z]);
    expect(result.report.rejected).toEqual([]);
    const restored = result.report.warnings.filter((w) => w.code === 'IIN.LEADING_ZERO_RESTORED');
    expect(restored.map((w) => w.row)).toEqual([2, 3, 4]);
    expect(restored[0]!.message).toContain('3 leading zeros');
    const summary = uploadSummary(result);
    expect(summary.warnings_count).toBeGreaterThanOrEqual(3);
    expect(summary.warnings.map((w) => w.row)).toEqual(expect.arrayContaining([2, 3, 4]));
  });

  it('refuses a JSON document and a binary file as not a table', async () => {
    const jsonFile = new TextEncoder().encode(JSON.stringify({ iins: [A, B] }));
    await expect(parseUpload('csv', jsonFile)).rejects.toMatchObject({ code: 'UPLOAD.NOT_A_TABLE' });
    await expect(parseUpload('text', new TextEncoder().encode(`[${A}, ${B}]`))).rejects.toMatchObject({
      code: 'UPLOAD.NOT_A_TABLE',
    });
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 1, 2, 3,
    ]);
    await expect(parseUpload('csv', png)).rejects.toMatchObject({ code: 'UPLOAD.NOT_A_TABLE' });
  });

  it('reads a zip named .csv as a workbook, and refuses a text file named .xlsx', async () => {
    const book = xlsxWithRows([inlineRow(1, ['IIN']), inlineRow(2, [A])]);
    expect((await parseUpload('csv', book)).format).toBe('xlsx');
    await expect(parseUpload('xlsx', new TextEncoder().encode(`iin\n${A}\n`))).rejects.toMatchObject({
      code: 'UPLOAD.UNREADABLE',
      message: expect.stringContaining('not an Excel workbook'),
    });
  });

  it('reads UTF-16 CSV, with a BOM (little-endian) or without (big-endian)', () => {
    const csv = `ФИО\tИИН\r\nИванов\t${A}\r\nПетров\t${B}\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]);
    const result = parseCsvUpload(new Uint8Array(le));
    expect(result.column).toMatchObject({ index: 1, header: 'ИИН' });
    expect([...result.report.iins]).toEqual([Number(A), Number(B)]);
    const be = Buffer.from(csv, 'utf16le').swap16();
    expect(parseCsvUpload(new Uint8Array(be)).report.accepted).toBe(2);
  });

  it('an unterminated quote is an error naming its line, not "0 rows"', () => {
    expect(() => parseCsvUpload(`iin\n${A}\n"${B}\n${Z}\n`)).toThrow(
      expect.objectContaining({
        code: 'UPLOAD.UNTERMINATED_QUOTE',
        message: expect.stringContaining('line 3'),
      }),
    );
  });

  it("lists every column that could hold IINs, uses the best, and takes the marketer's pick", () => {
    const csv = `client_iin;spouse iin;city\n${A};${B};x\n${Z};12345;y\n`;
    const result = parseCsvUpload(csv);
    expect(result.column).toMatchObject({ index: 0, chosenBy: 'values' });
    expect(result.column.candidates.map((c) => [c.index, c.header, c.validInSample])).toEqual([
      [0, 'client_iin', 2],
      [1, 'spouse iin', 1],
    ]);
    const picked = parseCsvUpload(csv, undefined, { column: 1 });
    expect(picked.column).toMatchObject({ index: 1, chosenBy: 'marketer' });
    expect([...picked.report.iins]).toEqual([Number(B)]);
    expect(uploadSummary(picked)).toMatchObject({
      column: 'spouse iin',
      column_index: 1,
      column_chosen_by: 'marketer',
    });
    // Header-less: both IIN-like columns are candidates.
    const bare = parseCsvUpload(`${A},${B}\n${Z},${A}\n`);
    expect(bare.column.candidates.map((c) => c.index)).toEqual([0, 1]);
  });

  it('never quotes a value (an IIN) as a column name when no column holds IINs', () => {
    try {
      parseCsvUpload('name,810603844x,city\nx,y,z\n');
      expect.unreachable();
    } catch (error) {
      expect(isUploadError(error) && error.code).toBe('UPLOAD.NO_IIN_COLUMN');
      expect((error as Error).message).toContain('name, 810603844x, city');
    }
    try {
      parseCsvUpload('900101,300007,x\n1,2,3\n');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('column 1, column 2, x');
    }
  });
});
