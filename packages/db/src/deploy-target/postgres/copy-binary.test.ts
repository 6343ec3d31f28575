import { formatIin } from '@campaigns/core';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTempDatabase, type TempDatabase } from '../../server/test-databases';
import { userRowsCopySource } from './copy-binary';
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
      // From the smallest buffer that holds the header, a row and the trailer (19 + 48 + 2 bytes) up.
      fc.integer({ min: 69, max: 400 }),
      async (iins, dates, bufferBytes) => {
        await db.query('TRUNCATE t');
        // Written through buffers of any size, the same rows land.
        const source = userRowsCopySource('C000000001', iins, dates);
        await db.copyFrom('COPY t FROM STDIN WITH (FORMAT binary)', {
          fill: (into) => source.fill(into.subarray(0, bufferBytes)),
        });
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
  const rows = (iins: number[], dates: (string | null)[] = []) =>
    userRowsCopySource('C000000001', iins, dates).fill(new Uint8Array(1024));
  expect(() => rows([1.5])).toThrow(/not an IIN/);
  expect(() => rows([1], ['2024-02-30', null])).toThrow(/not a real date/);
  expect(() => rows([1], ['01.03.2024', null])).toThrow(/YYYY-MM-DD/);
});

it('a value refused far into the stream aborts the COPY: the server keeps none of its rows', async () => {
  const iins = Array.from({ length: 50_000 }, (_, i) => i);
  iins[40_000] = -1;
  await db.query('TRUNCATE t');
  await expect(
    db.copyFrom(
      'COPY t (campaigncode, iin) FROM STDIN WITH (FORMAT binary)',
      userRowsCopySource('C000000001', iins),
    ),
  ).rejects.toThrow('not an IIN: -1');
  expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]!.n).toBe(0);
  // The connection is usable afterwards.
  await db.copyFrom(
    'COPY t (campaigncode, iin) FROM STDIN WITH (FORMAT binary)',
    userRowsCopySource('C000000001', [7]),
  );
  expect((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]!.n).toBe(1);
});
