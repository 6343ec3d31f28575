import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { completeIin } from '@campaigns/core';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUploadError, MAX_UPLOAD_ROWS, parseCsvUpload, parsePastedIins, parseXlsxUpload } from '../index';

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
    expect(result.column).toEqual({ index: 1, header: 'ИИН', hasHeader: true });
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
    expect(result.column).toEqual({ index: 1, header: 'iin', hasHeader: true });
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

describe('parsePastedIins', () => {
  it('accepts one per line or separated by commas and spaces', () => {
    const result = parsePastedIins(`ИИН\n${A}, ${B}\n\n  ${Z.slice(1)}  abc`);
    expect([...result.report.iins]).toEqual([Number(A), Number(B), Number(Z)]);
    expect(result.report.rejected).toEqual([expect.objectContaining({ row: 4, reason: 'non_digit' })]);
  });
});
