import { describe, expect, it } from 'vitest';
import { kkDate, kkDateTime, kkRelative, kkTime } from './kk-format';

// Node carries the full ICU data: our Kazakh formats must read exactly as CLDR's.
describe('Kazakh dates and times', () => {
  it('names every month as CLDR does', () => {
    for (let month = 0; month < 12; month++) {
      const date = new Date(2030, month, 5, 7, 8);
      expect(kkDate(date)).toBe(
        date.toLocaleDateString('kk-KZ', { day: 'numeric', month: 'long', year: 'numeric' }),
      );
    }
  });

  it('writes the time on a 24-hour clock', () => {
    const date = new Date(2030, 2, 1, 9, 31);
    expect(kkTime(date)).toBe(date.toLocaleTimeString('kk-KZ', { timeStyle: 'short' }));
    expect(kkDateTime(date)).toBe('2030 ж. 1 наурыз, 09:31');
  });

  it('says how long ago or how soon, per unit', () => {
    const format = new Intl.RelativeTimeFormat('kk-KZ');
    for (const unit of ['day', 'hour', 'minute', 'second'] as const) {
      expect(kkRelative(-2, unit)).toBe(format.format(-2, unit));
      expect(kkRelative(3, unit)).toBe(format.format(3, unit));
    }
  });
});
