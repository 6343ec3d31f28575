// Every SQL text the Oracle adapter can send, and the DDL we ship, parse with a PL/SQL grammar.
import { readFileSync } from 'node:fs';
import { PLSQL } from 'dt-sql-parser';
import { describe, expect, it } from 'vitest';
import { allOracleSql } from './oracle-sql';

const grammar = new PLSQL();
const statements = Object.entries(allOracleSql());

describe('Oracle SQL', () => {
  it('covers every statement kind for every table', () => {
    // 8 single statements + 2 metadata inserts + 4 user inserts + 6 counts + 6 deletes.
    expect(statements).toHaveLength(26);
  });

  it.each(statements)('%s parses as PL/SQL', (_name, sql) => {
    expect(grammar.validate(sql)).toEqual([]);
  });

  it('binds every value: no statement carries a quoted value other than date/regex formats', () => {
    for (const [, sql] of statements) {
      const literals = sql.match(/'[^']*'/g) ?? [];
      for (const literal of literals) {
        expect([
          "'YYYY-MM-DD'",
          "'^C[0-9]{9}$'",
          "'^KKB_[0-9]{4}$'",
          "'RB1'",
          "'RB3'",
          "'0001-01-01'",
          "'9999-12-31'",
        ]).toContain(literal);
      }
    }
  });

  it('oracle/schema.sql parses as PL/SQL', () => {
    const ddl = readFileSync(new URL('../../../oracle/schema.sql', import.meta.url), 'utf8');
    expect(grammar.validate(ddl)).toEqual([]);
  });

  it('the grammar does reject broken SQL (so the checks above can fail)', () => {
    expect(
      grammar.validate('INSERT INTO spss.fd_rb2_campaigns_users (CAMPAIGNCODE, IIN) VALUES (:1, :2'),
    ).not.toEqual([]);
    expect(grammar.validate('SELEC COUNT(*) FROM dssb_ocds.mb01_camp_dict')).not.toEqual([]);
  });
});
