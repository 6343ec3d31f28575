// IIN sets for the snapshot codec's property tests. Drawn evenly over 12-digit numbers, 300 IINs lie ~3*10^9
// apart (5-byte varints); fast-check's bias to small and extreme integers adds a few neighbours near 0 and the top,
// but in 1,000 draws no step was 128 or 2^31, where a varint grows a byte or the codec leaves its 32-bit path.
// Real audiences are clustered: neighbours one apart, runs of them, many IINs sharing a birth date (the first six
// digits), the smallest and largest 12-digit values, one IIN, none. These arbitraries draw those, mixed with the
// even draw (1,000 draws: a step of 128 in 182, of 2^31 in 182, of 1 in 444; one birth date in 224).
import fc from 'fast-check';

/** The largest 12-digit value, and so the largest IIN the codec takes. */
export const MAX_IIN_VALUE = 999_999_999_999;

/** Steps at each side of a varint's width (7, 14, 21, 28, 35 bits) and of the codec's 32-bit fast path. */
const boundarySteps = [7, 14, 21, 28, 31, 32, 35].flatMap((bits) => [
  2 ** bits - 1,
  2 ** bits,
  2 ** bits + 1,
]);

/** A step between two consecutive IINs of a clustered audience. */
const step = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 3 }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
  { weight: 2, arbitrary: fc.constantFrom(...boundarySteps) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 ** 36 }) },
);

/**
 * Consecutive IINs from a start (0, the largest value or anywhere) by such steps, upwards or downwards; the walk
 * stops at an end of the 12-digit range.
 */
const clustered = fc
  .record({
    start: fc.oneof(fc.constantFrom(0, MAX_IIN_VALUE), fc.integer({ min: 0, max: MAX_IIN_VALUE })),
    down: fc.boolean(),
    steps: fc.array(step, { maxLength: 300 }),
  })
  .map(({ start, down, steps }) => {
    const out = [start];
    let at = start;
    // From an end of the range the walk goes inwards.
    const downwards = start === MAX_IIN_VALUE || (start !== 0 && down);
    for (const s of steps) {
      at += downwards ? -s : s;
      if (at < 0 || at > MAX_IIN_VALUE) break;
      out.push(at);
    }
    return out;
  });

/** IINs born on one day: the same first six digits (YYMMDD), the other six anything. */
const oneBirthDate = fc
  .tuple(
    fc.integer({ min: 0, max: 999_999 }),
    fc.uniqueArray(fc.integer({ min: 0, max: 999_999 }), { maxLength: 300 }),
  )
  .map(([date, rest]) => rest.map((r) => date * 1_000_000 + r));

const even = fc.uniqueArray(fc.integer({ min: 0, max: MAX_IIN_VALUE }), { maxLength: 300 });

/** The extremes alone or together: none, one, the smallest, the largest, both. */
const extremes = fc.constantFrom<number[]>(
  [],
  [0],
  [MAX_IIN_VALUE],
  [0, MAX_IIN_VALUE],
  [MAX_IIN_VALUE - 1, MAX_IIN_VALUE],
);

/** A set of distinct IINs in any order: clustered as real audiences are, or drawn evenly, or the extremes. */
export const audienceIins: fc.Arbitrary<number[]> = fc
  .oneof(
    { weight: 3, arbitrary: clustered },
    { weight: 2, arbitrary: oneBirthDate },
    { weight: 2, arbitrary: even },
    { weight: 1, arbitrary: extremes },
  )
  .chain((values) => fc.shuffledSubarray(values, { minLength: values.length, maxLength: values.length }));
