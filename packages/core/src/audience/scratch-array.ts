// Big arrays reused from one run of the bucketed pass to the next: a fresh 60 MB (keys and survivors of a 5M
// input) costs ~20-30 ms of page faults and zeroing per run and feeds the garbage collector. Contents are not
// cleared between runs: the pass writes every element it later reads. Held by whoever owns the datasets (the
// PipelineCache a DatasetStore keeps), never by the module: runs over other datasets keep their own.
import { sharedArray } from './shared-array';

/** One reusable array. A borrower that finds it lent out (runs overlapping through an await) gets a fresh one. */
export class ScratchArray<T extends Uint32Array | Float64Array> {
  #array: T | undefined;
  #lent = false;

  /** `make` allocates: plain, or on a SharedArrayBuffer so that a worker can use it without a copy. */
  constructor(private readonly make: (length: number) => T) {}

  /** An array of exactly `length` elements, and the function that gives it back. */
  borrow(length: number): { array: T; giveBack: () => void } {
    if (this.#lent) return { array: this.make(length), giveBack: () => {} };
    if (!this.#array || this.#array.length < length) this.#array = this.make(length);
    this.#lent = true;
    const array = (this.#array.length === length ? this.#array : this.#array.subarray(0, length)) as T;
    return {
      array,
      giveBack: () => {
        this.#lent = false;
      },
    };
  }
}

/** The bucketed pass's arrays: one set for a pass on one thread, one on shared memory for a pass split in two. */
export class PassScratch {
  readonly keys = new ScratchArray((n) => new Uint32Array(n));
  readonly survivors = new ScratchArray((n) => new Float64Array(n));
  readonly sharedKeys = new ScratchArray((n) => sharedArray(Uint32Array, n));
  readonly sharedSurvivors = new ScratchArray((n) => sharedArray(Float64Array, n));
}
