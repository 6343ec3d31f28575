import { DOMAIN_ERROR_CODES, DomainError, domainError } from '@campaigns/core';
import { JOB_ERROR_CODES, UPLOAD_ERROR_CODES, UploadError } from '@campaigns/db';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, ApiError, httpStatusOf, isCodedError, toTRPCError } from './errors';

const registries = {
  core: DOMAIN_ERROR_CODES,
  uploads: UPLOAD_ERROR_CODES,
  jobs: JOB_ERROR_CODES,
  api: API_ERROR_CODES,
};

describe('error registry', () => {
  it('registers each code in one registry only', () => {
    const seen = new Map<string, string>();
    for (const [owner, codes] of Object.entries(registries)) {
      for (const code of Object.keys(codes)) {
        expect(seen.get(code), `${code} in ${owner} and ${seen.get(code)}`).toBeUndefined();
        seen.set(code, owner);
      }
    }
  });

  it('answers with the status of the kind, whatever the code is called', () => {
    // Before the registry, UPLOAD.TOO_LARGE answered 400 and an APPROVAL.* code 409 because of its name.
    expect(httpStatusOf(new UploadError('UPLOAD.TOO_LARGE', 'too big'))).toBe(413);
    expect(httpStatusOf(new UploadError('UPLOAD.NOT_FOUND', 'gone'))).toBe(404);
    expect(httpStatusOf(domainError('APPROVAL.SELF_APPROVAL', 'not yours'))).toBe(403);
    expect(httpStatusOf(new ApiError('IDEMPOTENCY.KEY_REUSED', 'other body'))).toBe(422);
    expect(httpStatusOf(new ApiError('REQUEST.UNKNOWN_HOST', 'who'))).toBe(421);
    expect(toTRPCError(new ApiError('AUTH.THROTTLED', 'slow down')).code).toBe('TOO_MANY_REQUESTS');
  });

  it('gives every registered code a status and a tRPC code', () => {
    for (const code of Object.keys(DOMAIN_ERROR_CODES) as Array<keyof typeof DOMAIN_ERROR_CODES>) {
      const error = new DomainError(code, code);
      expect(isCodedError(error)).toBe(true);
      expect(httpStatusOf(error)).toBeGreaterThanOrEqual(400);
      expect(toTRPCError(error).code).toBeTypeOf('string');
    }
    for (const code of Object.keys(API_ERROR_CODES) as Array<keyof typeof API_ERROR_CODES>) {
      expect(httpStatusOf(new ApiError(code, code))).toBeGreaterThanOrEqual(400);
    }
  });

  it('treats an error with an unregistered code, or a kind that is not its own, as internal', () => {
    const unregistered = Object.assign(new Error('x'), { code: 'FOO.NOT_FOUND', kind: 'not_found' });
    const wrongKind = Object.assign(new Error('x'), { code: 'CAMPAIGN.NOT_FOUND', kind: 'invalid_input' });
    const noKind = Object.assign(new Error('x'), { code: 'CAMPAIGN.NOT_FOUND' });
    expect(isCodedError(unregistered)).toBe(false);
    expect(isCodedError(wrongKind)).toBe(false);
    expect(isCodedError(noKind)).toBe(false);
  });
});
