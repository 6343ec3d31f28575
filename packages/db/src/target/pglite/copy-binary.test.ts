import { formatIin } from '@campaigns/core';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { userRowsCopyBinary } from './copy-binary';

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create('memory://');
  await db.exec('CREATE TABLE t (campaigncode varchar(20), iin varchar(12), date_start date, date_end date)');
});
afterAll(async () => db.close());

it('loads into PostgreSQL exactly the rows a naive formatter would write', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 999_999_999_999 }), { maxLength: 40 }),
      fc.constantFrom<(string | null)[]>(
        ['2024-03-01', '2024-03-31'],
        [null, '1999-12-31'],
        ['2000-01-01', null],
      ),
      async (iins, dates) => {
        await db.exec('TRUNCATE t');
        const blob = new Blob([userRowsCopyBinary('C000000001', iins, dates)]);
        await db.query(`COPY t FROM '/dev/blob' WITH (FORMAT binary)`, [], { blob });
        const rows = await db.query<{
          campaigncode: string;
          iin: string;
          ds: string | null;
          de: string | null;
        }>(`SELECT campaigncode, iin, date_start::text AS ds, date_end::text AS de FROM t`);
        expect(rows.rows).toEqual(
          iins.map((n) => ({ campaigncode: 'C000000001', iin: formatIin(n), ds: dates[0], de: dates[1] })),
        );
      },
    ),
    { numRuns: 30 },
  );
});

it('refuses values that are not IINs or dates', () => {
  expect(() => userRowsCopyBinary('C000000001', [1.5])).toThrow(/not an IIN/);
  expect(() => userRowsCopyBinary('C000000001', [1], ['2024-02-30', null])).toThrow(/not a real date/);
  expect(() => userRowsCopyBinary('C000000001', [1], ['01.03.2024', null])).toThrow(/YYYY-MM-DD/);
});
