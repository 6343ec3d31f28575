import { formatIin } from '@campaigns/core';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../server/test-databases';
import { userRowsCopyStream } from './copy-binary';
import { poolTwinClient, type TwinClient } from './twin-client';

let database: TempDatabase;
let pool: pg.Pool;
let db: TwinClient;
beforeAll(async () => {
  database = await createTempDatabase({ migrated: false });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  db = poolTwinClient(pool);
  await db.query(
    'CREATE TABLE t (campaigncode varchar(20), iin varchar(12), date_start date, date_end date)',
  );
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

it('loads into PostgreSQL exactly the rows a naive formatter would write', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 999_999_999_999 }), { maxLength: 40 }),
      fc.constantFrom<(string | null)[]>(
        ['2024-03-01', '2024-03-31'],
        [null, '1999-12-31'],
        ['2000-01-01', null],
      ),
      fc.integer({ min: 1, max: 7 }),
      async (iins, dates, chunkRows) => {
        await db.query('TRUNCATE t');
        // Streamed in chunks of any size, the same rows land.
        await db.copyFrom(
          'COPY t FROM STDIN WITH (FORMAT binary)',
          userRowsCopyStream('C000000001', iins, dates, chunkRows),
        );
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
  const rows = (iins: number[], dates: (string | null)[] = []) => [
    ...userRowsCopyStream('C000000001', iins, dates),
  ];
  expect(() => rows([1.5])).toThrow(/not an IIN/);
  expect(() => rows([1], ['2024-02-30', null])).toThrow(/not a real date/);
  expect(() => rows([1], ['01.03.2024', null])).toThrow(/YYYY-MM-DD/);
});
