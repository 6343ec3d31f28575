import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIinSnapshot, encodeIinSnapshot, snapshotSha256 } from './iin-snapshot-codec';

const iinSet = fc.uniqueArray(fc.integer({ min: 0, max: 999_999_999_999 }), { maxLength: 300 });

describe('IIN snapshot codec', () => {
  it('gives back exactly the sorted set, whatever the input order', async () => {
    await fc.assert(
      fc.asyncProperty(iinSet, fc.boolean(), async (values, presorted) => {
        const input = presorted ? [...values].sort((a, b) => a - b) : values;
        const encoded = await encodeIinSnapshot(input);
        const naive = [...values].sort((a, b) => a - b);
        expect([...decodeIinSnapshot(encoded.bytes, encoded.count)]).toEqual(naive);
        expect([...decodeIinSnapshot(encoded.bytes)]).toEqual(naive);
        expect(snapshotSha256(encoded.bytes)).toBe(encoded.sha256);
      }),
    );
  });

  it('hashes equal sets equally and different sets differently', async () => {
    await fc.assert(
      fc.asyncProperty(iinSet, fc.integer({ min: 0, max: 999_999_999_999 }), async (values, extra) => {
        const a = await encodeIinSnapshot(values);
        expect((await encodeIinSnapshot([...values].reverse())).sha256).toBe(a.sha256);
        expect((await encodeIinSnapshot([...values].sort((x, y) => x - y))).sha256).toBe(a.sha256);
        if (!values.includes(extra))
          expect((await encodeIinSnapshot([...values, extra])).sha256).not.toBe(a.sha256);
      }),
    );
  });

  it('rejects duplicates and values that are not IINs', async () => {
    await expect(encodeIinSnapshot([900101300007, 900101300007])).rejects.toThrow(/duplicate/);
    await expect(encodeIinSnapshot([1.5])).rejects.toThrow(/not an IIN/);
    await expect(encodeIinSnapshot([1_000_000_000_000])).rejects.toThrow(/not an IIN/);
    await expect(encodeIinSnapshot([5, 3, 5])).rejects.toThrow(/duplicate/);
  });

  it('refuses bytes that do not hold the expected count', async () => {
    const encoded = await encodeIinSnapshot([1, 2, 3]);
    expect(() => decodeIinSnapshot(encoded.bytes, 4)).toThrow(/expected 4/);
  });
});
