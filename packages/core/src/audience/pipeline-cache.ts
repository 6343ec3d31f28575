// What the pipeline keeps between runs over the same datasets, held by whoever owns those datasets (db's
// DatasetStore) and given to every run: the merged index of each dataset set (client-index.ts), which sets were
// used once already (the index is built on their second use only), the blacklists merged per set of lists
// (cursor-pass.ts), and the bucketed pass's big arrays (scratch-array.ts), lent to one run at a time. Everything is keyed by the datasets' vectors themselves in weak maps: a replaced dataset (a
// new vector) finds nothing kept for it, and what was kept for the old one can be collected.
import { buildClientIndex, type ClientIndex, type ClientIndexSource } from './client-index';
import type { IinVector } from './iin-vector';
import { PassScratch } from './scratch-array';
import { type IndexedValues, indexVectors } from './value-index';

export class PipelineCache {
  /** The bucketed pass's arrays, reused by the runs over these datasets (indexed-pass.ts). */
  readonly scratch = new PassScratch();
  /** Each vector included in a merged index, to that index. */
  private readonly indexOfVector = new WeakMap<IinVector, ClientIndex>();
  private readonly seenOnce = new WeakSet<IinVector>();
  /** By the first list's vector: the other lists and the merge (a few list sets per first list). */
  private readonly mergedListsOf = new WeakMap<
    IinVector,
    { rest: readonly IinVector[]; merged: IndexedValues }[]
  >();

  /**
   * Allocates the bucketed pass's arrays for inputs of up to `length` IINs and touches every page, before any run
   * needs them (a service does it once its datasets are prepared, while no filter runs): the first filter then
   * pays neither the page faults of ~60 MB nor the garbage collections such an allocation sets off. `shared`: the
   * arrays of a pass split with a worker.
   */
  reserveScratch(length: number, shared: boolean): void {
    const { keys, survivors, sharedKeys, sharedSurvivors } = this.scratch;
    for (const scratch of shared ? [sharedKeys, sharedSurvivors] : [keys, survivors]) {
      const lent = scratch.borrow(length);
      lent.array.fill(0);
      lent.giveBack();
    }
  }

  /** The kept index covering every given vector, if there is one. */
  cachedIndex(vectors: readonly IinVector[]): ClientIndex | undefined {
    const first = vectors[0];
    if (first === undefined) return undefined;
    const index = this.indexOfVector.get(first);
    return index && vectors.every((v) => index.slots.has(v)) ? index : undefined;
  }

  /** The index of these datasets: the kept one, else built now and kept for later runs over the same vectors. */
  prepareIndex(sources: readonly ClientIndexSource[]): ClientIndex {
    const known = this.cachedIndex(sources.map((s) => s.iins));
    if (known) return known;
    const index = buildClientIndex(sources);
    this.adoptIndex(index);
    return index;
  }

  /**
   * Keeps an index built elsewhere (read back from a prepared cache) as if prepareIndex had built it. Its slots
   * must name the very vectors the pipeline will be given.
   */
  adoptIndex(index: ClientIndex): void {
    for (const v of index.slots.keys()) this.indexOfVector.set(v, index);
  }

  /**
   * True the second time the same leading vector is asked about: a dataset set used once (a cold run, a one-off)
   * is not worth the build; one used again is likely to be used many times.
   */
  seenBefore(vectors: readonly IinVector[]): boolean {
    const first = vectors[0];
    if (first === undefined) return false;
    if (this.seenOnce.has(first)) return true;
    this.seenOnce.add(first);
    return false;
  }

  /** The lists merged into one vector with list k's bit at position k (indexVectors), kept per set of lists. */
  mergedLists(lists: readonly IinVector[]): IndexedValues {
    const [first, ...rest] = lists as [IinVector, ...IinVector[]];
    const known = this.mergedListsOf.get(first) ?? [];
    const hit = known.find((k) => k.rest.length === rest.length && k.rest.every((v, i) => v === rest[i]));
    if (hit) return hit.merged;
    const merged = indexVectors(lists);
    this.mergedListsOf.set(first, [...known.slice(-7), { rest, merged }]);
    return merged;
  }
}
