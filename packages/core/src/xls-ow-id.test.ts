import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError, isXlsOwId, nextXlsOwId } from './index';

const id = (n: number) => `KKB_${String(n).padStart(4, '0')}`;

describe('nextXlsOwId', () => {
  it('starts at KKB_0001 and increments the largest well-formed id (KKB_0123 -> KKB_0124)', () => {
    expect(nextXlsOwId([])).toBe('KKB_0001');
    expect(nextXlsOwId(['KKB_0005', 'KKB_0123', 'KKB_0042'])).toBe('KKB_0124');
  });

  it('ignores ids that are not exactly KKB_ + 4 digits', () => {
    expect(nextXlsOwId(['KKB_10000', 'kkb_0500', 'KKB_05', 'KKB-0600', 'KKB_0007'])).toBe('KKB_0008');
  });

  it('gives KKB_9999 after KKB_9998 and then a typed error, never KKB_10000', () => {
    expect(nextXlsOwId(['KKB_9998'])).toBe('KKB_9999');
    expect(() => nextXlsOwId(['KKB_9998', 'KKB_9999'])).toThrow(
      expect.objectContaining({ code: 'CAMPAIGN.XLS_ID_EXHAUSTED' }),
    );
  });

  it('never repeats and never changes length on random sets, up to exhaustion', () => {
    const existingIds = fc.array(
      fc.oneof(
        fc.integer({ min: 9_980, max: 9_998 }).map(id),
        fc.integer({ min: 0, max: 9_998 }).map(id),
        fc.constantFrom('KKB_10000', 'KKB_999', 'C000000001', 'kkb_9999'),
      ),
      { maxLength: 20 },
    );
    fc.assert(
      fc.property(existingIds, fc.integer({ min: 1, max: 40 }), (existing, rounds) => {
        const taken = new Set(existing);
        for (let i = 0; i < rounds; i++) {
          let next: string;
          try {
            next = nextXlsOwId(taken);
          } catch (error) {
            expect(isDomainError(error, 'CAMPAIGN.XLS_ID_EXHAUSTED')).toBe(true);
            expect(taken.has('KKB_9999')).toBe(true);
            return;
          }
          expect(isXlsOwId(next)).toBe(true);
          expect(next).toHaveLength(8);
          expect(taken.has(next)).toBe(false);
          taken.add(next);
        }
      }),
    );
  });
});
