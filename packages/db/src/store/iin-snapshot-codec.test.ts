import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeIinSnapshot, encodeIinSnapshot, snapshotSha256 } from './iin-snapshot-codec';

const iinSet = fc.uniqueArray(fc.integer({ min: 0, max: 999_999_999_999 }), { maxLength: 300 });

describe('IIN snapshot codec', () => {
  it('gives back exactly the sorted set, whatever the input order', () => {
    fc.assert(
      fc.property(iinSet, (values) => {
        const encoded = encodeIinSnapshot(values);
        const naive = [...values].sort((a, b) => a - b);
        expect([...decodeIinSnapshot(encoded.bytes, encoded.count)]).toEqual(naive);
        expect([...decodeIinSnapshot(encoded.bytes)]).toEqual(naive);
        expect(snapshotSha256(encoded.bytes)).toBe(encoded.sha256);
      }),
    );
  });

  it('hashes equal sets equally and different sets differently', () => {
    fc.assert(
      fc.property(iinSet, fc.integer({ min: 0, max: 999_999_999_999 }), (values, extra) => {
        const a = encodeIinSnapshot(values);
        expect(encodeIinSnapshot([...values].reverse()).sha256).toBe(a.sha256);
        if (!values.includes(extra)) expect(encodeIinSnapshot([...values, extra]).sha256).not.toBe(a.sha256);
      }),
    );
  });

  it('rejects duplicates and values that are not IINs', () => {
    expect(() => encodeIinSnapshot([900101300007, 900101300007])).toThrow(/duplicate/);
    expect(() => encodeIinSnapshot([1.5])).toThrow(/not an IIN/);
    expect(() => encodeIinSnapshot([1_000_000_000_000])).toThrow(/not an IIN/);
  });

  it('refuses bytes that do not hold the expected count', () => {
    const encoded = encodeIinSnapshot([1, 2, 3]);
    expect(() => decodeIinSnapshot(encoded.bytes, 4)).toThrow(/expected 4/);
  });
});
