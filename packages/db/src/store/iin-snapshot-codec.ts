// Compact, canonical bytes for an audience: sorted numeric IINs as deltas in LEB128 varints, then deflated.
// A 1M-IIN audience takes ~2-3 MB before and well under that after compression, instead of 1M rows.
// Both ways run in slices (event-loop-slices.ts) and (de)compress on libuv's thread pool; the API's stores run
// them in a worker thread (snapshot-codec.ts), the upload worker in its own.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { deflate, inflate } from 'node:zlib';
import { defaultSliceSize, inSlices } from './event-loop-slices';

export interface EncodedIinSnapshot {
  count: number;
  /** Deflated varint deltas: what the store keeps. */
  bytes: Uint8Array;
  /** SHA-256 (hex) of the uncompressed varint deltas: the same set of IINs always gives the same hash. */
  sha256: string;
}

const MAX_IIN = 999_999_999_999;

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

/**
 * Encodes a set of IINs (any order; the pipeline's survivors come sorted, and then nothing is sorted). Rejects
 * duplicates and values that cannot be IINs. `sliceSize` values are encoded per turn of the event loop.
 */
export async function encodeIinSnapshot(
  iins: ArrayLike<number>,
  sliceSize = defaultSliceSize,
): Promise<EncodedIinSnapshot> {
  const sorted = (await ascending(iins, sliceSize)) ? iins : Float64Array.from(iins).sort();
  const raw = await varintDeltas(sorted, sliceSize);
  return {
    count: iins.length,
    bytes: new Uint8Array(await deflateAsync(raw)),
    sha256: createHash('sha256').update(raw).digest('hex'),
  };
}

async function ascending(values: ArrayLike<number>, sliceSize: number): Promise<boolean> {
  let sorted = true;
  await inSlices(values.length, sliceSize, (from, to) => {
    for (let i = Math.max(1, from); i < to; i++) {
      if (!((values[i] as number) > (values[i - 1] as number))) {
        sorted = false;
        return false;
      }
    }
    return true;
  });
  return sorted;
}

/** Sorted values as LEB128 varint deltas, checking each is an IIN and none repeats. */
async function varintDeltas(sorted: ArrayLike<number>, sliceSize: number): Promise<Uint8Array> {
  // 7 data bits per byte; an IIN below 10^12 < 2^42 needs at most 6 bytes.
  const out = new Uint8Array(sorted.length * 6);
  let at = 0;
  // The first delta is taken from -1 so that IIN 0 still encodes as a positive step.
  let previous = -1;
  let bad = -1;
  await inSlices(sorted.length, sliceSize, (from, to) => {
    for (let i = from; i < to; i++) {
      const value = sorted[i] as number;
      // One test for "an integer IIN above the previous one"; a throw inside this loop made it 10x slower.
      if (!(value > previous && value <= MAX_IIN && Math.floor(value) === value)) {
        bad = i;
        return false;
      }
      let delta = value - previous;
      previous = value;
      if (delta < 2147483648) {
        // The usual case (neighbouring IINs are close): 32-bit integer steps.
        let d = delta | 0;
        while (d >= 128) {
          out[at++] = (d & 127) | 128;
          d >>>= 7;
        }
        out[at++] = d;
        continue;
      }
      while (delta >= 128) {
        out[at++] = (delta % 128) | 128;
        delta = Math.floor(delta / 128);
      }
      out[at++] = delta;
    }
    return true;
  });
  if (bad >= 0) {
    const value = sorted[bad] as number;
    throw new RangeError(value === previous ? `duplicate IIN in snapshot: ${value}` : `not an IIN: ${value}`);
  }
  return out.subarray(0, at);
}

/**
 * The IINs of stored snapshot bytes, ascending; `expectedCount` (the stored count) is checked, and so is
 * `expectedSha256` (the stored hash) when given: bytes changed since they were saved are refused.
 */
export async function decodeIinSnapshot(
  bytes: Uint8Array,
  expectedCount?: number,
  sliceSize = defaultSliceSize,
  expectedSha256?: string,
): Promise<Float64Array> {
  const raw = await inflateAsync(bytes);
  if (expectedSha256 !== undefined && createHash('sha256').update(raw).digest('hex') !== expectedSha256)
    throw new RangeError(`snapshot bytes do not match their sha256 ${expectedSha256}`);
  const values = new Float64Array(expectedCount ?? raw.length);
  let count = 0;
  let previous = -1;
  let delta = 0;
  let scale = 1;
  let overflow = false;
  // Neighbouring IINs of a large audience are a 2-3 byte varint apart: `sliceSize` values per slice, roughly.
  await inSlices(raw.length, sliceSize * 2, (from, to) => {
    for (let i = from; i < to; i++) {
      const byte = raw[i] as number;
      delta += (byte & 127) * scale;
      if (byte < 128) {
        if (count === values.length) {
          overflow = true;
          return false;
        }
        previous += delta;
        values[count++] = previous;
        delta = 0;
        scale = 1;
      } else {
        scale *= 128;
      }
    }
    return true;
  });
  if (overflow) throw new RangeError('snapshot holds more IINs than expected');
  if (scale !== 1) throw new RangeError('snapshot bytes end inside a number');
  if (expectedCount !== undefined && count !== expectedCount) {
    throw new RangeError(`snapshot holds ${count} IINs, expected ${expectedCount}`);
  }
  return count === values.length ? values : values.slice(0, count);
}

/** The same hash as `encodeIinSnapshot(...).sha256`, computed from stored (compressed) bytes. */
export async function snapshotSha256(bytes: Uint8Array): Promise<string> {
  return createHash('sha256')
    .update(await inflateAsync(bytes))
    .digest('hex');
}
