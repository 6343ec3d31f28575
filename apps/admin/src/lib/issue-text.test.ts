import type { InputIssue } from '@campaigns/core/rules';
import { describe, expect, it } from 'vitest';
import { en } from '$lib/i18n/en';
import { kk } from '$lib/i18n/kk';
import { ru } from '$lib/i18n/ru';
import { codeText, issueText } from './issue-text';

// Issue 12 item 6: every problem the wizard shows is worded with the field's label in the UI language, never a
// raw field key or zod's English text, including what the server refused.

describe('field problems in the UI language', () => {
  it('words a server refusal without a rule in the UI language, not with zod’s English message', () => {
    const refused = {
      field: 'filter_config.devices',
      message: 'Invalid input: expected array, received string',
      rule: 'invalid' as const,
    };
    expect(issueText(ru, refused)).toBe(ru.validation.invalid(ru.wizard.filters.devices));
    for (const catalog of [en, ru, kk]) {
      const text = issueText(catalog, refused);
      expect(text).toContain(catalog.wizard.filters.devices);
      expect(text).not.toContain('Invalid input');
      expect(text).not.toContain('filter_config');
    }
  });

  it('names every field the wizard sends by its label, and a row of the IIN list by its number', () => {
    const fields = [
      'campaign_type',
      'deploy_at',
      'deploy_options.deploy_users',
      'control_group.share',
      'filter_config.blacklist_tables',
      'filter_config.push_streams',
      'filter_config.products',
      'filter_config.mau_only',
      'filter_config.contact_pressure',
      'all_clients',
      'upload_id',
      'metadata.camp_cnt',
    ];
    for (const field of fields) {
      const text = issueText(kk, { field, message: 'x', rule: 'invalid' });
      expect(text, field).not.toMatch(/[a-z]+_[a-z]+|\bmetadata\b|\bcontrol_group\b/);
    }
    const row = {
      field: 'user_iins[12]',
      message: 'check_digit: …',
      rule: 'iin',
      expected: 'check_digit',
    } as const;
    expect(issueText(kk, row)).toBe(
      `${kk.validation.row(kk.wizard.steps[0] ?? '', 13)}: ${kk.rowReason.check_digit}`,
    );
    // A path the form has no label for still reads as words, never as the key.
    expect(issueText(en, { field: 'something_new.deep', message: 'x', rule: 'invalid' })).not.toContain(
      'something_new',
    );
  });

  it('words the refusals the wizard can meet by their code in the UI language', () => {
    expect(codeText(kk, 'UPLOAD.NOT_FOUND')).toBe(kk.errors.codes['UPLOAD.NOT_FOUND']);
    expect(codeText(ru, 'AUDIENCE.NO_CLIENT_LIST')).toMatch(/клиент/i);
    expect(codeText(en, 'SOMETHING.ELSE')).toBeNull();
  });

  // What the API answers for a create the form's own rules did not stop (apps/api/src/input-issues.test.ts):
  // each problem with its rule and limit. The page lists every one in the UI language, limits included.
  const share: InputIssue = {
    field: 'control_group.share',
    message: 'Too big: expected number to be <=0.9',
    rule: 'too_big',
    limit: 0.9,
  };
  const serverIssues: InputIssue[] = [
    share,
    { field: 'deploy_at', message: 'Invalid ISO datetime', rule: 'invalid_format', expected: 'datetime' },
    {
      field: 'metadata.campaign_name',
      message: 'campaign_name must be at most 255 characters',
      rule: 'too_long',
      limit: 255,
    },
    { field: 'campaign_type', message: 'Invalid option', rule: 'invalid_value', allowed: ['RB1', 'RB3'] },
    { field: 'filter_config.products', message: 'Too big', rule: 'too_many', limit: 50 },
    { field: 'camp_cnt', message: 'Too small', rule: 'too_small', limit: 0, inclusive: false },
    {
      field: 'metadata.stream',
      message: 'expected string, received number',
      rule: 'invalid_type',
      expected: 'string',
    },
  ];

  it('words each server problem with its limit: the control share as the percentage the form shows', () => {
    const c = ru.wizard.campaign;
    expect(serverIssues.map((issue) => issueText(ru, issue))).toEqual([
      `${c.control}: не больше 90`,
      `${c.deployAt}: неверный формат (дата и время)`,
      `${c.name}: не больше 255 символов`,
      `${c.type}: выберите одно из значений: RB1, RB3`,
      `${ru.wizard.filters.products}: не больше 50 значений`,
      `${c.campCnt}: больше 0`,
      `${c.stream}: здесь нужно текст`,
    ]);
    expect(issueText(en, share)).toBe(`${en.wizard.campaign.control}: at most 90`);
    expect(issueText(kk, share)).toBe(`${kk.wizard.campaign.control}: ең көбі 90`);
  });

  it('never shows the server’s English, a raw key or a limit in the wrong unit, in any language', () => {
    for (const catalog of [en, ru, kk]) {
      for (const issue of serverIssues) {
        const text = issueText(catalog, issue);
        expect(text).not.toContain(issue.message);
        expect(text).not.toMatch(/control_group|deploy_at|campaign_name|filter_config|undefined|0\.9/);
      }
    }
  });

  // A failed upload's job carries its code and details (apps/api/src/router/audiences.test.ts): the page words
  // them in the UI language instead of the server's English reason.
  it('words a failed upload by its code in the UI language, with the line its details name', () => {
    const quote = { line: 4 };
    expect(codeText(ru, 'UPLOAD.UNTERMINATED_QUOTE', quote)).toBe(
      ru.errors.codeWithNumber['UPLOAD.UNTERMINATED_QUOTE']?.('4'),
    );
    expect(codeText(ru, 'UPLOAD.UNTERMINATED_QUOTE', quote)).toMatch(/в строке 4, не закрыта/);
    expect(codeText(kk, 'UPLOAD.UNTERMINATED_QUOTE', quote)).toMatch(/4-жолда/);
    expect(codeText(ru, 'UPLOAD.NOT_A_TABLE', {})).toMatch(/не таблица/);
    // Without the detail the code's plain wording, never a missing number.
    expect(codeText(ru, 'UPLOAD.UNTERMINATED_QUOTE', null)).toBe(
      ru.errors.codes['UPLOAD.UNTERMINATED_QUOTE'],
    );
    expect(
      codeText(ru, 'UPLOAD.TOO_LARGE_UNPACKED', { limitBytes: 512 * 1024 * 1024 }, (n) =>
        n.toLocaleString('ru'),
      ),
    ).toMatch(/больше 512 МБ/);
  });
});
