import { Utf8, type Vector, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValueEncoder } from './value-encoder';

/** The naive reference: trimmed text, first appearance numbers it, empty or null is -1. */
function naiveCodes(chunks: Array<Array<string | null>>): { codes: number[]; labels: string[] } {
  const labels: string[] = [];
  const codes: number[] = [];
  for (const cell of chunks.flat()) {
    const text = cell?.trim() ?? '';
    if (text === '') codes.push(-1);
    else {
      if (!labels.includes(text)) labels.push(text);
      codes.push(labels.indexOf(text));
    }
  }
  return { codes, labels };
}

// Strings that look alike to a cheap lookup key: same lengths, same first, middle and last bytes, Cyrillic (two
// bytes a letter, one leading byte for all), surrounding spaces.
const alike = [
  'Депозит',
  'Дхпозит',
  'Депoзит',
  'Депозит ',
  ' Депозит',
  'abcdefg',
  'abXdefg',
  'aXcdefg',
  'a',
  'b',
  '',
];

describe('ValueEncoder', () => {
  it('codes plain text cells as a Map of the trimmed strings would, across chunks, look-alikes and nulls', () => {
    const cell = fc.oneof(
      fc.constantFrom(...alike),
      fc.constant(null),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: fc.constantFrom('Д', 'е', 'п', 'x', ' '), maxLength: 9 }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 60 }), { minLength: 1, maxLength: 4 }), (chunks) => {
        const vector = chunks
          .map((chunk) => vectorFromArray(chunk, new Utf8()) as Vector)
          .reduce((a, b) => a.concat(b));
        const encoder = new ValueEncoder();
        const out = new Int32Array(vector.length);
        encoder.encode(vector, out);
        const expected = naiveCodes(chunks);
        expect([...out]).toEqual(expected.codes);
        expect(encoder.labels).toEqual(expected.labels);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps coding correctly when a column holds more distinct strings than its lookup table', () => {
    const cells = Array.from({ length: 20_000 }, (_, i) => `value ${(i * 7919) % 9_000}`);
    const encoder = new ValueEncoder();
    const out = new Int32Array(cells.length);
    encoder.encode(vectorFromArray(cells, new Utf8()), out);
    const expected = naiveCodes([cells]);
    expect([...out]).toEqual(expected.codes);
    expect(encoder.labels).toEqual(expected.labels);
  });
});
