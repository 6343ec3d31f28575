import fc from 'fast-check';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { describe, expect, it } from 'vitest';
import { decodeDictionaryIndices, MAX_DICTIONARY_BITS, paddedDictionary } from './dictionary-page';

/** One run of the RLE / bit-packed hybrid: a repeated index, or indices bit-packed in groups of 8. */
type Run = { repeat: number; count: number } | { packed: number[] };

/** The runs encoded as a parquet writer does (ULEB128 headers, little-endian bit packing). */
function encode(runs: Run[], width: number): Uint8Array {
  const out: number[] = [];
  const varint = (v: number) => {
    let x = v;
    while (x >= 0x80) {
      out.push((x & 0x7f) | 0x80);
      x = Math.floor(x / 128);
    }
    out.push(x);
  };
  for (const run of runs) {
    if ('repeat' in run) {
      varint(run.count * 2);
      for (let k = 0; k < (width + 7) >>> 3; k++) out.push((run.repeat >>> (8 * k)) & 0xff);
      continue;
    }
    const groups = Math.ceil(run.packed.length / 8);
    varint(groups * 2 + 1);
    const bits: number[] = [];
    for (let i = 0; i < groups * 8; i++) {
      const v = run.packed[i] ?? 0;
      for (let b = 0; b < width; b++) bits.push((v >>> b) & 1);
    }
    for (let i = 0; i < bits.length; i += 8) {
      let byte = 0;
      for (let b = 0; b < 8; b++) byte |= (bits[i + b] ?? 0) << b;
      out.push(byte);
    }
  }
  return Uint8Array.from(out);
}

// Width 0 (a one-entry dictionary) is checked by hand below: hyparquet's reader fails on its bit-packed runs.
const pages = fc.integer({ min: 1, max: MAX_DICTIONARY_BITS }).chain((width) => {
  const index = fc.integer({ min: 0, max: 2 ** width - 1 });
  const run: fc.Arbitrary<Run> = fc.oneof(
    fc.record({ repeat: index, count: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ packed: fc.array(index, { minLength: 1, maxLength: 40 }) }),
  );
  return fc.record({
    width: fc.constant(width),
    runs: fc.array(run, { minLength: 1, maxLength: 8 }),
    dictionaryLength: fc.integer({ min: 1, max: Math.min(2 ** width + 2, 300) }),
  });
});

describe('decodeDictionaryIndices', () => {
  it("maps every index as hyparquet's reader and a lookup would, past the dictionary to -1", () => {
    fc.assert(
      fc.property(pages, fc.boolean(), ({ width, runs, dictionaryLength }, floats) => {
        const bytes = encode(runs, width);
        const count = runs.reduce((n, r) => n + ('repeat' in r ? r.count : r.packed.length), 0);
        const indices = new Int32Array(count);
        readRleBitPackedHybrid({ view: new DataView(bytes.buffer), offset: 0 }, width, indices, bytes.length);
        const make = (n: number) => (floats ? new Float64Array(n) : new Int32Array(n));
        const dictionary = make(dictionaryLength);
        for (let e = 0; e < dictionaryLength; e++) dictionary[e] = floats ? 900101300000 + e : e * 3;
        const expected = Array.from(indices, (i) => dictionary[i] ?? -1);
        const out = make(count);
        decodeDictionaryIndices(bytes, 0, width, count, paddedDictionary(dictionary, width, make), out);
        expect([...out]).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('reads width 0 (every index 0) in either kind of run', () => {
    const bytes = encode([{ packed: [0, 0, 0] }, { repeat: 0, count: 4 }], 0);
    const out = new Int32Array(11);
    decodeDictionaryIndices(bytes, 0, 0, 11, Int32Array.of(7), out);
    expect([...out]).toEqual(Array(11).fill(7));
  });

  it('throws when the runs end before the page has all its values', () => {
    const bytes = encode([{ packed: [1, 2, 3, 4, 5, 6, 7, 0, 1, 2] }], 3);
    const lookup = new Int32Array(8);
    expect(() => decodeDictionaryIndices(bytes, 0, 3, 17, lookup, new Int32Array(17))).toThrow(
      /dictionary indices end/,
    );
    expect(() => decodeDictionaryIndices(bytes.subarray(0, 4), 0, 3, 10, lookup, new Int32Array(10))).toThrow(
      /dictionary indices end/,
    );
  });
});
