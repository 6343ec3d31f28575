import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audienceIins, MAX_IIN_VALUE } from '../testing/iin-set-arbitrary';
import { countTurns } from '../testing/turn-counter';
import { inSlices } from './event-loop-slices';
import { decodeIinSnapshot, encodeIinSnapshot, snapshotSha256 } from './iin-snapshot-codec';

// Clustered audiences (neighbours, runs, one birth date, the extremes) mixed with IINs drawn evenly.
const iinSet = audienceIins;
/** Small slices, so that slice boundaries fall inside every list (a varint split across two slices). */
const sliceSize = fc.integer({ min: 1, max: 40 });

describe('IIN snapshot codec', () => {
  it('gives back exactly the sorted set, whatever the input order and slice size', async () => {
    await fc.assert(
      fc.asyncProperty(iinSet, fc.boolean(), sliceSize, async (values, presorted, size) => {
        const input = presorted ? [...values].sort((a, b) => a - b) : values;
        const encoded = await encodeIinSnapshot(input, size);
        const naive = [...values].sort((a, b) => a - b);
        expect([...(await decodeIinSnapshot(encoded.bytes, encoded.count, size))]).toEqual(naive);
        expect([...(await decodeIinSnapshot(encoded.bytes))]).toEqual(naive);
        expect(await snapshotSha256(encoded.bytes)).toBe(encoded.sha256);
        expect((await encodeIinSnapshot(input)).sha256).toBe(encoded.sha256);
      }),
    );
  });

  it('hashes equal sets equally and different sets differently', async () => {
    await fc.assert(
      fc.asyncProperty(iinSet, fc.integer({ min: 0, max: MAX_IIN_VALUE }), async (values, extra) => {
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
    // A duplicate in a later slice is found too.
    await expect(encodeIinSnapshot([1, 2, 3, 4, 5, 5], 2)).rejects.toThrow(/duplicate/);
  });

  it('refuses bytes that do not hold the expected count', async () => {
    const encoded = await encodeIinSnapshot([1, 2, 3]);
    await expect(decodeIinSnapshot(encoded.bytes, 4)).rejects.toThrow(/expected 4/);
  });

  it('refuses bytes that do not match the expected sha256, and takes those that do', async () => {
    const encoded = await encodeIinSnapshot([1, 2, 3]);
    const other = await encodeIinSnapshot([1, 2, 4]);
    await expect(decodeIinSnapshot(other.bytes, 3, undefined, encoded.sha256)).rejects.toThrow(
      new RangeError(`snapshot bytes do not match their sha256 ${encoded.sha256}`),
    );
    expect([...(await decodeIinSnapshot(encoded.bytes, 3, undefined, encoded.sha256))]).toEqual([1, 2, 3]);
  });
});

describe('work in slices (issue 13, item 3: a 1M-IIN audience never holds the event loop in one turn)', () => {
  it('covers the range in order, each slice in its own turn of the event loop', async () => {
    const turns = countTurns();
    const seen: Array<{ from: number; to: number; turn: number }> = [];
    await inSlices(1_000_000, 65_536, (from, to) => {
      seen.push({ from, to, turn: turns.turn });
      return true;
    });
    turns.stop();
    expect(seen).toHaveLength(16);
    expect(seen.map((s) => s.from)).toEqual(seen.map((_, i) => i * 65_536));
    expect(seen.at(-1)?.to).toBe(1_000_000);
    // Other callbacks ran between every two slices.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.turn).toBeGreaterThan(seen[i - 1]!.turn);
  });

  it('stops when a slice says so', async () => {
    const froms: number[] = [];
    await inSlices(100, 10, (from) => {
      froms.push(from);
      return from < 30;
    });
    expect(froms).toEqual([0, 10, 20, 30]);
  });
});
