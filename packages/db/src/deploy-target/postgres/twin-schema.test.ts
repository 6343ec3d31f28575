// The twin must carry exactly the columns and keys of the Oracle DDL we ship (oracle/schema.sql).
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { expect, it } from 'vitest';
import { createTempDatabase } from '../../server/test-databases';
import { twinSchemaSql } from './twin-schema';

interface TableShape {
  columns: string[];
  notNull: string[];
  primaryKey: string[];
  /** Character widths of the text columns. */
  widths: Record<string, number>;
}

function oracleShapes(): Record<string, TableShape> {
  const ddl = readFileSync(new URL('../../../oracle/schema.sql', import.meta.url), 'utf8');
  const shapes: Record<string, TableShape> = {};
  for (const match of ddl.matchAll(/CREATE TABLE (\S+) \(([\s\S]*?)\n\);/g)) {
    const shape: TableShape = { columns: [], notNull: [], primaryKey: [], widths: {} };
    for (const line of match[2]!.split('\n')) {
      const code = line.replace(/--.*$/, '').trim();
      const pk = /PRIMARY KEY \(([^)]+)\)/.exec(code);
      if (pk) shape.primaryKey = pk[1]!.split(',').map((c) => c.trim().toLowerCase());
      const column = /^([A-Z_]+)\s+[A-Z]/.exec(code);
      if (!column || code.startsWith('CONSTRAINT')) continue;
      shape.columns.push(column[1]!.toLowerCase());
      if (code.includes('NOT NULL')) shape.notNull.push(column[1]!.toLowerCase());
      const width = /VARCHAR2\((\d+)/.exec(code);
      if (width) shape.widths[column[1]!.toLowerCase()] = Number(width[1]);
    }
    shapes[match[1]!.toLowerCase()] = shape;
  }
  return shapes;
}

it('creates the tables, columns, widths, NOT NULLs and primary keys of oracle/schema.sql', async () => {
  const database = await createTempDatabase({ migrated: false });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  await db.query(twinSchemaSql);
  const columns = await db.query<{
    t: string;
    column_name: string;
    is_nullable: string;
    character_maximum_length: number | null;
  }>(
    `SELECT table_schema || '.' || table_name AS t, column_name, is_nullable, character_maximum_length
     FROM information_schema.columns WHERE table_schema IN ('dssb_ocds', 'spss') ORDER BY t, ordinal_position`,
  );
  const keys = await db.query<{ t: string; column_name: string }>(
    `SELECT tc.table_schema || '.' || tc.table_name AS t, k.column_name
     FROM information_schema.table_constraints tc
     JOIN information_schema.key_column_usage k ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema IN ('dssb_ocds', 'spss') ORDER BY t, k.ordinal_position`,
  );
  const twin: Record<string, TableShape> = {};
  for (const row of columns.rows) {
    const shape = twin[row.t] ?? { columns: [], notNull: [], primaryKey: [], widths: {} };
    twin[row.t] = shape;
    shape.columns.push(row.column_name);
    if (row.is_nullable === 'NO') shape.notNull.push(row.column_name);
    if (row.character_maximum_length !== null) shape.widths[row.column_name] = row.character_maximum_length;
  }
  for (const row of keys.rows) twin[row.t]?.primaryKey.push(row.column_name);
  await db.end();
  await database.drop();

  const oracle = oracleShapes();
  expect(Object.keys(oracle)).toHaveLength(6);
  expect(twin).toEqual(oracle);
});
