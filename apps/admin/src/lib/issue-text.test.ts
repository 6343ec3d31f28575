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
    expect(issueText(kk, { field: 'user_iins[12]', message: 'check_digit: …' })).toContain('13');
    // A path the form has no label for still reads as words, never as the key.
    expect(issueText(en, { field: 'something_new.deep', message: 'x' })).not.toContain('something_new');
  });

  it('words the refusals the wizard can meet by their code in the UI language', () => {
    expect(codeText(kk, 'UPLOAD.NOT_FOUND')).toBe(kk.errors.codes['UPLOAD.NOT_FOUND']);
    expect(codeText(ru, 'AUDIENCE.NO_CLIENT_LIST')).toMatch(/клиент/i);
    expect(codeText(en, 'SOMETHING.ELSE')).toBeNull();
  });
});
