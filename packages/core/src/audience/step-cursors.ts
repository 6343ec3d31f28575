// Cursors for the fused pipeline pass: each walks one sorted dataset vector forward as the audience (also sorted)
// is walked, so a whole pipeline is one pass over the audience plus one pass over each dataset it uses.
import type { IinVector } from './iin-vector';
import type { IndexedValues } from './value-index';

/** Membership in a sorted set (MAU, off-limit IINs). Queries must come in ascending order. */
export class SetCursor {
  private j = 0;
  constructor(private readonly iins: IinVector) {}

  has(x: number): boolean {
    const iins = this.iins;
    let j = this.j;
    while (j < iins.length && iins[j]! < x) j++;
    this.j = j;
    return j < iins.length && iins[j] === x;
  }
}

/** "Holds any of these values" for a value dataset (devices, push streams, products). Ascending queries. */
export class ValueCursor {
  private j = 0;
  private readonly iins: IinVector;
  private readonly masks: Uint32Array;
  private readonly words: number;

  constructor(
    values: IndexedValues,
    private readonly mask: Uint32Array,
  ) {
    this.iins = values.iins;
    this.masks = values.index.masks;
    this.words = values.index.words;
  }

  holds(x: number): boolean {
    const iins = this.iins;
    let j = this.j;
    while (j < iins.length && iins[j]! < x) j++;
    this.j = j;
    if (j >= iins.length || iins[j] !== x) return false;
    const words = this.words;
    for (let w = 0; w < words; w++) if ((this.masks[j * words + w]! & this.mask[w]!) !== 0) return true;
    return false;
  }
}

/** Blacklist membership over the lists' union (a bit per list), counting the per-list breakdown as it goes. */
export class BlacklistCursor {
  private j = 0;
  private readonly iins: IinVector;
  private readonly masks: Uint32Array;
  private readonly words: number;
  readonly matched: Uint32Array;
  readonly onlyHere: Uint32Array;

  constructor(lists: IndexedValues) {
    this.iins = lists.iins;
    this.masks = lists.index.masks;
    this.words = lists.index.words;
    this.matched = new Uint32Array(lists.index.labels.length);
    this.onlyHere = new Uint32Array(lists.index.labels.length);
  }

  /** True when x is on any list (and counts it). */
  listed(x: number): boolean {
    const iins = this.iins;
    let j = this.j;
    while (j < iins.length && iins[j]! < x) j++;
    this.j = j;
    if (j >= iins.length || iins[j] !== x) return false;
    let bits = 0;
    let single = -1;
    for (let w = 0; w < this.words; w++) {
      let m = this.masks[j * this.words + w]!;
      while (m !== 0) {
        const low = m & -m;
        const code = w * 32 + (31 - Math.clz32(low));
        this.matched[code]!++;
        single = code;
        bits++;
        m ^= low;
      }
    }
    if (bits === 1) this.onlyHere[single]!++;
    return true;
  }
}
