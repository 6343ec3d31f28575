import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iinsOfListText } from './iin-list-text';

describe('iinsOfListText: the off-limit IINs from one comma-separated text', () => {
  it('reads each all-digit item as its number and anything else as NaN, in order', async () => {
    // Number() alone is no reference: it reads "0e0" as 0 and "0x1f" as 31 (CI found the first).
    const naiveRead = (item: string) => (/^[0-9]+$/.test(item) ? Number(item) : Number.NaN);
    const item = fc.oneof(
      fc.stringMatching(/^[0-9]{1,12}$/),
      fc.stringMatching(/^[0-9a-z]{1,12}$/),
      fc.constantFrom('0e0', '1e5', '0x1f', '0b1', ' 12', '1.5'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(item, { maxLength: 200 }), async (items) => {
        const read = await iinsOfListText(items.join(','), items.length);
        expect([...read]).toEqual(items.map(naiveRead));
      }),
    );
  });

  it('reads a million in slices and checks the count the server gave', async () => {
    const iins = Array.from({ length: 1_000_000 }, (_, i) =>
      String(900_101_300_007 + i * 11).padStart(12, '0'),
    );
    const read = await iinsOfListText(iins.join(','), iins.length);
    expect(read.length).toBe(1_000_000);
    expect(read[999_999]).toBe(900_101_300_007 + 999_999 * 11);
    await expect(iinsOfListText('1,2,3', 4)).rejects.toThrow(/holds 3 IINs, the server counted 4/);
  });
});
