// Distinct IINs of a set dataset (blacklists, mau) from rows arriving chunk by chunk while its file decodes. A
// file whose first chunk is in IIN order (our sorted layout) is combined as it comes, with no sort at all
// (IinVectorBuilder); any other (an export: rows in no order) goes into IIN buckets as it decodes, 4 bytes a row,
// each bucket sorted in cache at the end (ValueRowBuckets). Buffering every row as a float64 and bucket-sorting
// them afterwards made a copy and two more passes over all rows (mau: 6M rows).
import { type IinVector, IinVectorBuilder } from './iin-vector';
import { ValueRowBuckets } from './value-row-buckets';

export class IinSetBuilder {
  private ordered: IinVectorBuilder | undefined;
  private buckets: ValueRowBuckets | undefined;
  /** Code 0 for every row of a chunk, as the buckets take rows. */
  private zeros = new Int32Array(0);

  /** `capacity`: the rows the file holds. */
  constructor(private readonly capacity: number) {}

  /** Adds IINs [0, length) of a chunk; negative ones are no IIN and skipped. */
  add(iins: Float64Array, length: number): void {
    if (!this.ordered && !this.buckets) {
      if (inOrder(iins, length)) this.ordered = new IinVectorBuilder(this.capacity);
      else this.buckets = new ValueRowBuckets(this.capacity);
    }
    if (this.ordered) {
      this.ordered.add(iins, length);
      return;
    }
    if (this.zeros.length < length) this.zeros = new Int32Array(length);
    const stop = this.buckets!.add(iins, this.zeros, 0, length);
    if (stop < length) this.leaveBuckets(iins.subarray(stop, length));
  }

  /** The buckets, once the rows came in no order: the page reader then adds rows to them itself (code 0). */
  get bucketed(): ValueRowBuckets | undefined {
    return this.buckets;
  }

  finish(): IinVector {
    if (this.buckets) return this.buckets.sweepIins();
    return (this.ordered ?? new IinVectorBuilder(0)).finish();
  }

  /** An IIN no bucket key holds (not an integer below 2^40): what was bucketed and the rest go to the builder. */
  private leaveBuckets(rest: Float64Array): void {
    const iins = new Float64Array(this.capacity);
    const rows = this.buckets!.writeRows(iins, new Int32Array(this.capacity), 0);
    this.buckets = undefined;
    const ordered = new IinVectorBuilder(this.capacity);
    ordered.add(iins, rows);
    ordered.add(rest, rest.length);
    this.ordered = ordered;
  }
}

/** Whether the IINs [0, length) ascend (repeats allowed), skipping negative ones (no IIN). */
function inOrder(iins: Float64Array, length: number): boolean {
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < length; i++) {
    const v = iins[i]!;
    if (v < 0) continue;
    if (v < last) return false;
    last = v;
  }
  return true;
}
