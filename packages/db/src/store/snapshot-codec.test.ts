import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { audienceIins } from '../testing/iin-set-arbitrary';
import { encodeIinSnapshot } from './iin-snapshot-codec';
import { SnapshotCodec } from './snapshot-codec';

// The codec run in its worker (issue 13, item 3): what the API's stores use instead of encoding on their thread.
const codec = new SnapshotCodec();
afterAll(() => codec.close());

const iinSet = audienceIins;

describe('SnapshotCodec (the codec in its worker thread)', () => {
  it('encodes exactly as the codec does on a thread, and decodes back to the sorted set', async () => {
    await fc.assert(
      fc.asyncProperty(iinSet, fc.boolean(), async (values, asVector) => {
        const input = asVector ? Float64Array.from(values) : values;
        const here = await encodeIinSnapshot(values);
        const there = await codec.encode(input);
        expect(there).toEqual(here);
        const naive = [...values].sort((a, b) => a - b);
        expect([...(await codec.decode(there.bytes, there.count))]).toEqual(naive);
      }),
      { numRuns: 60 },
    );
    expect(codec.workersStarted).toBe(1);
  });

  it('leaves the caller its vector (copied to the worker, not handed over)', async () => {
    const iins = Float64Array.from({ length: 100_000 }, (_, i) => 900_101_300_007 + i * 11);
    const encoded = await codec.encode(iins);
    expect(iins.length).toBe(100_000);
    expect(iins[99_999]).toBe(900_101_300_007 + 99_999 * 11);
    expect(await codec.decode(encoded.bytes, encoded.count)).toEqual(iins);
  });

  it('refuses duplicates, values that are not IINs and a wrong count, as the codec does', async () => {
    await expect(codec.encode([900101300007, 900101300007])).rejects.toThrow(
      new RangeError('duplicate IIN in snapshot: 900101300007'),
    );
    await expect(codec.encode([1.5])).rejects.toThrow(/not an IIN: 1.5/);
    const encoded = await encodeIinSnapshot([1, 2, 3]);
    await expect(codec.decode(encoded.bytes, 4)).rejects.toThrow(/expected 4/);
    // The worker survives its refusals.
    expect([...(await codec.decode(encoded.bytes, 3))]).toEqual([1, 2, 3]);
    expect(codec.workersStarted).toBe(1);
  });
});
