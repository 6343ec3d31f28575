// The off-limit IINs come from the server as one comma-separated text (string_agg), not a row per IIN: a row
// object and a string for each of a million reserved IINs were ~100 MB on the API's thread and a major GC
// (issue 13, item 3). The text is read into numbers in slices, a turn of the event loop between them.
import { defaultSliceSize, inSlices } from '../../store/event-loop-slices';

const COMMA = 44;
const ZERO = 48;

/**
 * The `count` IINs of "iin,iin,..." as numbers, in order. A value that is not all digits reads as NaN (an IIN
 * column holds digits only; "1e5" or "0x1f" is junk here, whatever Number() makes of it).
 */
export async function iinsOfListText(text: string, count: number): Promise<Float64Array> {
  const values = new Float64Array(count);
  let n = 0;
  let value = 0;
  let digits = true;
  // One IIN and its comma are 13 characters.
  await inSlices(text.length, defaultSliceSize * 13, (from, to) => {
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i) - ZERO;
      if (c === COMMA - ZERO) {
        values[n++] = digits ? value : Number.NaN;
        value = 0;
        digits = true;
      } else if (c >= 0 && c <= 9) value = value * 10 + c;
      else digits = false;
    }
    return true;
  });
  if (text.length > 0) values[n++] = digits ? value : Number.NaN;
  if (n !== count) throw new RangeError(`the off-limit list holds ${n} IINs, the server counted ${count}`);
  return values;
}
