// Long loops on the API's thread run in slices, with a turn of the event loop between them: other requests
// are answered while a million-IIN audience is encoded or decoded (issue 13, item 3: no
// stall over 100 ms).

/** Values handled in one turn: 64 Ki varints take a few milliseconds here. */
export const defaultSliceSize = 65_536;

/** Resolves on the next turn of the event loop, after the I/O and timers that are due. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Calls `work(from, to)` over [0, count) in order, `size` at a time, each slice in its own turn of the loop
 * after the first. `work` returns false to stop early.
 */
export async function inSlices(
  count: number,
  size: number,
  work: (from: number, to: number) => boolean | undefined,
): Promise<void> {
  for (let from = 0; from < count; from += size) {
    if (from > 0) await nextTurn();
    if (work(from, Math.min(count, from + size)) === false) return;
  }
}
