import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildClientIndex, type ClientIndexSource } from './client-index';
import { type LoadedDataset, runFilterPipeline } from './filter-pipeline';
import { sortUnique } from './iin-vector';
import { PipelineCache } from './pipeline-cache';
import { buildValueIndex } from './value-index-build';

/** Large property tests: a shared, loaded machine takes several times their quiet 2-5 s. */
const HEAVY_TEST_MS = 60_000;

const iin = fc.integer({ min: 1, max: 80 }).map((k) => 900101300000 + k);
// Up to 40 labels, so that some layouts need more than one mask word.
const label = fc.integer({ min: 0, max: 39 }).map((k) => `v${k}`);
const setSource = fc.array(iin, { maxLength: 50 }).map((rows) => ({ kind: 'set' as const, rows }));
const valueSource = fc
  .array(fc.tuple(iin, label), { maxLength: 60 })
  .map((rows) => ({ kind: 'values' as const, rows }));
type RawSource = { kind: 'set'; rows: number[] } | { kind: 'values'; rows: Array<[number, string]> };

const ALL_LABELS = Array.from({ length: 40 }, (_, k) => `v${k}`);

/** `allLabels`: the dataset knows all 40 labels (more than one mask word), held or not. */
function toSource(raw: RawSource, allLabels = false): ClientIndexSource {
  if (raw.kind === 'set') return { iins: sortUnique(raw.rows) };
  const labels = allLabels ? ALL_LABELS : [...new Set(raw.rows.map(([, v]) => v))];
  const { iins, index } = buildValueIndex(
    Float64Array.from(raw.rows, ([x]) => x),
    Int32Array.from(raw.rows, ([, v]) => labels.indexOf(v)),
    labels,
  );
  return { iins, values: index };
}

const bitOf = (masks: Uint32Array, words: number, i: number, bit: number) =>
  ((masks[i * words + (bit >>> 5)]! >>> (bit & 31)) & 1) === 1;

describe('buildClientIndex', () => {
  it(
    'holds the union of the datasets, with exactly the bits a naive lookup gives',
    () => {
      fc.assert(
        fc.property(
          fc.array(fc.oneof(setSource, valueSource), { maxLength: 6 }),
          fc.boolean(),
          (raws, all) => {
            const sources = raws.map((raw) => toSource(raw, all));
            const index = buildClientIndex(sources);
            const rowIins = (r: RawSource) => (r.kind === 'set' ? r.rows : r.rows.map(([x]) => x));
            const expectedUnion = [...new Set(raws.flatMap(rowIins))].sort((a, b) => a - b);
            expect([...index.iins]).toEqual(expectedUnion);
            raws.forEach((raw, k) => {
              const slot = index.slots.get(sources[k]!.iins)!;
              expectedUnion.forEach((x, i) => {
                if (raw.kind === 'set') {
                  expect(bitOf(index.masks, index.words, i, slot.bit)).toBe(raw.rows.includes(x));
                  return;
                }
                const labels = sources[k]!.values!.labels;
                labels.forEach((l, b) => {
                  const holds = raw.rows.some(([r, v]) => r === x && v === l);
                  expect(bitOf(index.masks, index.words, i, slot.bit + b)).toBe(holds);
                });
              });
            });
          },
        ),
        { numRuns: 100 },
      );
    },
    HEAVY_TEST_MS,
  );

  it('filters the same through a multi-word index as through the cursors', () => {
    const dataset = (name: string, raw: RawSource): LoadedDataset => ({
      name,
      status: 'ok',
      ...toSource(raw, true),
      rows: raw.rows.length,
      invalidRows: 0,
      bytes: 0,
    });
    fc.assert(
      fc.property(
        fc.array(iin, { maxLength: 60 }),
        setSource,
        setSource,
        valueSource,
        valueSource,
        fc.subarray(
          Array.from({ length: 40 }, (_, k) => `v${k}`),
          { minLength: 1 },
        ),
        (input, bl1, bl2, devices, products, wanted) => {
          const datasets = {
            blacklists: { A: dataset('A', bl1), B: dataset('B', bl2) },
            devices: dataset('devices', devices),
            products: dataset('products', products),
          };
          const cfg = { blacklist_tables: ['A', 'B'], devices: wanted, products: wanted.slice(0, 3) };
          const off = runFilterPipeline(input, datasets, cfg, { mergedIndex: 'off' });
          const merged = runFilterPipeline(input, datasets, cfg, { mergedIndex: 'build' });
          // 40 device labels take two words of their own: the multi-word pass is the one under test.
          expect(buildClientIndex([toSource(devices, true)]).words).toBe(2);
          expect([...merged.survivors]).toEqual([...off.survivors]);
          expect(merged.stats).toEqual(off.stats);
          expect(merged.blacklist_breakdown).toEqual(off.blacklist_breakdown);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is built by default only the second time a large input uses the same datasets, and kept by the cache', () => {
    const mau = sortUnique(Array.from({ length: 1000 }, (_, k) => 900101300000 + 2 * k));
    const datasets = {
      mau: { name: 'mau', status: 'ok' as const, iins: mau, rows: 1000, invalidRows: 0, bytes: 0 },
    };
    const small = Array.from({ length: 1000 }, (_, k) => 900101300000 + k);
    const large = Float64Array.from({ length: 1 << 17 }, (_, k) => 900101300000 + k);
    const cache = new PipelineCache();
    runFilterPipeline(small, datasets, { mau_only: true }, { cache });
    runFilterPipeline(small, datasets, { mau_only: true }, { cache });
    expect(cache.cachedIndex([mau])).toBeUndefined();
    const first = runFilterPipeline(large, datasets, { mau_only: true }, { cache });
    expect(cache.cachedIndex([mau])).toBeUndefined();
    const second = runFilterPipeline(large, datasets, { mau_only: true }, { cache });
    const kept = cache.cachedIndex([mau]);
    expect(kept).toBeDefined();
    expect(second.stats).toEqual(first.stats);
    expect(first.stats.final_count).toBe(1000);
    // The state is the cache's: another owner's runs, or runs without one, know nothing of these.
    const other = new PipelineCache();
    runFilterPipeline(large, datasets, { mau_only: true }, { cache: other });
    runFilterPipeline(large, datasets, { mau_only: true });
    runFilterPipeline(large, datasets, { mau_only: true });
    expect(other.cachedIndex([mau])).toBeUndefined();
    expect(cache.cachedIndex([mau])).toBe(kept);
  });
});
