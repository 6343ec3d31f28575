import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isCampaignCode,
  isDomainError,
  isProvisionalCode,
  nextCampaignCode,
  provisionalCampaignCode,
} from './index';

const code = (n: number) => `C${String(n).padStart(9, '0')}`;

// Plain reference: the largest `C` + 9 digits, plus one.
function referenceNext(existing: string[]): string {
  const numbers = existing.filter((c) => /^C\d{9}$/.test(c)).map((c) => Number.parseInt(c.slice(1), 10));
  const largest = Math.max(0, ...numbers);
  return largest === 999_999_999 ? 'exhausted' : code(largest + 1);
}

function nextOrExhausted(existing: Iterable<string>): string {
  try {
    return nextCampaignCode(existing);
  } catch (error) {
    if (isDomainError(error, 'CAMPAIGN.CODE_SPACE_EXHAUSTED')) return 'exhausted';
    throw error;
  }
}

const junk = fc.constantFrom(
  'C12',
  'c000000001',
  'C0000123456',
  'C00000000A',
  ' C000000005',
  'C000000005 ',
  '',
  'KKB_0001',
);
const codeNear = (centre: number, spread: number) =>
  fc.integer({ min: Math.max(0, centre - spread), max: centre + spread }).map(code);
const existingCodes = fc.array(
  fc.oneof(
    codeNear(99_999, 20),
    codeNear(12_345, 5),
    fc.integer({ min: 0, max: 999_999_999 }).map(code),
    codeNear(999_999_990, 9),
    junk,
  ),
  { maxLength: 30 },
);

describe('nextCampaignCode', () => {
  it('starts at C000000001 and increments the largest well-formed code', () => {
    expect(nextCampaignCode([])).toBe('C000000001');
    expect(nextCampaignCode(['C000012345', 'C000000007'])).toBe('C000012346');
    expect(nextCampaignCode(['C000000000'])).toBe('C000000001');
  });

  it('ignores everything that is not exactly C + 9 digits', () => {
    expect(nextCampaignCode(['C12', 'c000000009', 'C0000123456', 'C000000004'])).toBe('C000000005');
    expect(nextCampaignCode([null, undefined, 'C000000004'])).toBe('C000000005'); // nullable columns
  });

  it('keeps going past C000099999, where the seed query LIKE C0000% would repeat a code', () => {
    const existing = ['C000099998', 'C000099999', 'C000100000'];
    const seedQuery = existing.filter((c) => c.length === 10 && c.startsWith('C0000'));
    expect(seedQuery).not.toContain('C000100000'); // what the seed would miss
    expect(nextCampaignCode(existing)).toBe('C000100001');
  });

  it('agrees with a plain reference, never repeats and never changes length on random sets', () => {
    fc.assert(
      fc.property(existingCodes, fc.integer({ min: 1, max: 30 }), (existing, rounds) => {
        const taken = new Set(existing);
        expect(nextOrExhausted(existing)).toBe(referenceNext(existing));
        for (let i = 0; i < rounds; i++) {
          if (taken.has('C999999999')) {
            expect(() => nextCampaignCode(taken)).toThrow(
              expect.objectContaining({ code: 'CAMPAIGN.CODE_SPACE_EXHAUSTED' }),
            );
            return;
          }
          const next = nextCampaignCode(taken);
          expect(isCampaignCode(next)).toBe(true);
          expect(next).toHaveLength(10);
          expect(taken.has(next)).toBe(false);
          taken.add(next);
        }
      }),
    );
  });

  it('throws CAMPAIGN.CODE_SPACE_EXHAUSTED after C999999999, never an 11-character code', () => {
    expect(nextCampaignCode(['C999999998'])).toBe('C999999999');
    try {
      nextCampaignCode(['C000000001', 'C999999999']);
      expect.unreachable();
    } catch (error) {
      expect(isDomainError(error, 'CAMPAIGN.CODE_SPACE_EXHAUSTED')).toBe(true);
      expect((error as Error).message).toContain('C999999999');
    }
  });
});

describe('provisional campaign codes', () => {
  it('are marked provisional, timestamp-based, and can never pass for a real code', () => {
    const provisional = provisionalCampaignCode(new Date('2024-01-15T10:30:00.123Z'));
    expect(provisional).toEqual({ campaign_code: 'P20240115103000123', provisional: true });
    expect(isProvisionalCode(provisional.campaign_code)).toBe(true);
    expect(isCampaignCode(provisional.campaign_code)).toBe(false);
    expect(nextCampaignCode([provisional.campaign_code])).toBe('C000000001');
  });

  it('no real code is provisional and no provisional code is real', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
        (now) => {
          const { campaign_code } = provisionalCampaignCode(now);
          expect(isProvisionalCode(campaign_code)).toBe(true);
          expect(isCampaignCode(campaign_code)).toBe(false);
        },
      ),
    );
    expect(isProvisionalCode('C000000001')).toBe(false);
  });
});
