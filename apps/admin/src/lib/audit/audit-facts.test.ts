import { describe, expect, it } from 'vitest';
import { en } from '$lib/i18n/en';
import { ru } from '$lib/i18n/ru';
import { auditFacts, auditSubject } from './audit-facts';

const format = {
  number: (n: number) => n.toLocaleString('en-GB'),
  dateTime: (iso: string) => `at ${iso.slice(0, 10)}`,
};
const userId = '0b6f1c7e-5d2a-4c1e-9a33-1f0e2d3c4b5a';
const tokenId = '9d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const names = { [userId]: 'marketer', [tokenId]: 'reporting (marketer)', C000000007: 'Весна' };

describe('audit entries in words', () => {
  it('names ids, lists lists, words yes/no, dates and numbers, and drops empty facts', () => {
    const facts = auditFacts(
      {
        userId,
        scopes: ['read', 'write'],
        expiresAt: '2030-04-10T09:00:00.000Z',
        audienceRebuilt: false,
        rowsRemoved: 1201,
        reason: null,
        errors: [],
        acknowledgedOmittedBlacklists: [{ name: 'BL_No_worker', reason: 'export failed' }],
        contentHash: 'abcdef0123456789abcdef',
        idempotencyKey: '6909fa18-8ec3-4fd1-8f4d-04f9ede0b269:create',
      },
      names,
      en,
      format,
    );
    expect(facts).toEqual([
      { label: 'user', value: 'marketer' },
      { label: 'scopes', value: 'read, write' },
      { label: 'expires', value: 'at 2030-04-10' },
      { label: 'audience rebuilt', value: 'no' },
      { label: 'rows removed', value: '1,201' },
      { label: 'blacklists left out, acknowledged', value: 'BL_No_worker (export failed)' },
      { label: 'content hash', value: 'abcdef012345' },
      { label: 'idempotency key', value: '6909fa18' },
    ]);
    // A key this version has no label for is still words, not JSON.
    expect(auditFacts({ retryAfterSeconds: 30 }, {}, en, format)).toEqual([
      { label: 'retry after seconds', value: '30' },
    ]);
    expect(auditFacts({ userId }, names, ru, format)).toEqual([{ label: 'пользователь', value: 'marketer' }]);
  });

  it('says what an entry is about: a campaign with its name, a token with its owner', () => {
    expect(auditSubject({ entity_type: 'campaign', entity_id: 'C000000007' }, names, en)).toBe(
      'campaign C000000007 · Весна',
    );
    expect(auditSubject({ entity_type: 'api_token', entity_id: tokenId }, names, en)).toBe(
      'API token reporting (marketer)',
    );
    expect(auditSubject({ entity_type: 'user', entity_id: userId }, names, ru)).toBe('пользователь marketer');
    expect(auditSubject({ entity_type: 'datasets', entity_id: null }, names, en)).toBe('datasets');
  });
});
