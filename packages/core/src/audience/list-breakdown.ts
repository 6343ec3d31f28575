// The per-list breakdown of a step that reads several lists (the blacklists): for each list, the audience IINs
// found on it and those found on it and on no other listed one. Lists overlap, so `matched` may add up to more
// than the step removed. One counter for all three passes: each points it at the mask words of the IIN it found.

export class ListBreakdown {
  readonly matched: Uint32Array;
  readonly onlyHere: Uint32Array;

  /** `listBits`: where each list's bit sits in the mask words the passes give (bit b: word b >>> 5, b & 31). */
  constructor(private readonly listBits: readonly number[]) {
    this.matched = new Uint32Array(listBits.length);
    this.onlyHere = new Uint32Array(listBits.length);
  }

  /** Counts an IIN removed by the step whose mask words start at masks[at]. */
  count(masks: Uint32Array, at: number): void {
    const bits = this.listBits;
    let found = 0;
    let single = -1;
    for (let k = 0; k < bits.length; k++) {
      const b = bits[k]!;
      if (((masks[at + (b >>> 5)]! >>> (b & 31)) & 1) === 0) continue;
      this.matched[k]!++;
      single = k;
      found++;
    }
    if (found === 1) this.onlyHere[single]!++;
  }
}
