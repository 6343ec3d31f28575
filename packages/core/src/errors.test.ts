import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_CODES, DomainError, domainError, isDomainError } from './index';

describe('DomainError', () => {
  it('carries a stable code, its kind, message and details, and serialises them', () => {
    const error = domainError('CAMPAIGN.XLS_ID_EXHAUSTED', 'No XLS_OW_ID left after KKB_9999', {
      last: 'KKB_9999',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'CAMPAIGN.XLS_ID_EXHAUSTED',
      kind: 'exhausted',
      name: 'DomainError',
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      code: 'CAMPAIGN.XLS_ID_EXHAUSTED',
      message: 'No XLS_OW_ID left after KKB_9999',
      details: { last: 'KKB_9999' },
    });
  });

  it('isDomainError tells domain errors apart, optionally by code', () => {
    const error = new DomainError('APPROVAL.SELF_APPROVAL', 'You cannot approve your own campaign');
    expect(isDomainError(error)).toBe(true);
    expect(isDomainError(error, 'APPROVAL.SELF_APPROVAL')).toBe(true);
    expect(isDomainError(error, 'IIN.DUPLICATE')).toBe(false);
    expect(isDomainError(new Error('plain'))).toBe(false);
    expect(isDomainError({ code: 'IIN.DUPLICATE', name: 'DomainError' })).toBe(false);
  });

  it('recognises one from another copy of the module by name and known code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'DomainError', code: 'IIN.DUPLICATE' });
    expect(isDomainError(foreign, 'IIN.DUPLICATE')).toBe(true);
    const unknownCode = Object.assign(new Error('x'), { name: 'DomainError', code: 'NOPE' });
    expect(isDomainError(unknownCode)).toBe(false);
  });

  it('every code is Namespace.UPPER_SNAKE', () => {
    for (const code of Object.keys(DOMAIN_ERROR_CODES)) expect(code).toMatch(/^[A-Z]+\.[A-Z_]+$/);
  });
});
