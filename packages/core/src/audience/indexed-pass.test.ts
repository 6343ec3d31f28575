import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setDataset, valueDataset } from '../testing';
import { mergeBuckets } from './bucket-merge';
import { type PipelineDatasets, runFilterPipeline, runFilterPipelineSplit } from './filter-pipeline';

// Thousands of IINs crowded into two index buckets (2^28 wide) and a few thousand values each, so that buckets
// take the radix-sorted path, neighbours share sub-ranges, and inputs repeat IINs.
const BASES = [850101_300_000, 850101_300_000 + 2 ** 28];
const iin = fc
  .tuple(fc.constantFrom(...BASES), fc.integer({ min: 0, max: 3000 }))
  .map(([base, k]) => base + k * 7);
const DEVICES = ['android', 'iOS'];
const PRODUCTS = ['Депозит', 'Кредитная карта', 'Ипотека'];

const data = fc.record({
  blacklist: fc.array(iin, { minLength: 50, maxLength: 300, size: 'max' }),
  devices: fc.array(fc.tuple(iin, fc.constantFrom(...DEVICES)), { maxLength: 4000, size: 'max' }),
  mau: fc.array(iin, { maxLength: 3000, size: 'max' }),
  products: fc.array(fc.tuple(iin, fc.constantFrom(...PRODUCTS)), { maxLength: 5000, size: 'max' }),
});
const config = fc.record({
  blacklist_tables: fc.subarray(['BL']),
  devices: fc.subarray(DEVICES),
  mau_only: fc.boolean(),
  products: fc.subarray(PRODUCTS),
  contact_pressure: fc.boolean(),
});

describe('the bucketed pass over the merged index', () => {
  it('gives the cursor pass result on large inputs crowded into few buckets', () => {
    fc.assert(
      fc.property(
        data,
        config,
        fc.array(iin, { minLength: 600, maxLength: 6000, size: 'max' }),
        fc.array(iin),
        (raw, cfg, input, off) => {
          const datasets: PipelineDatasets = {
            blacklists: { BL: setDataset('BL', raw.blacklist) },
            devices: valueDataset('devices', raw.devices, DEVICES),
            mau: setDataset('mau', raw.mau),
            products: valueDataset('products', raw.products, PRODUCTS),
          };
          const options = { offLimitIins: off };
          const cursors = runFilterPipeline(input, datasets, cfg, { ...options, mergedIndex: 'off' });
          const indexed = runFilterPipeline(input, datasets, cfg, { ...options, mergedIndex: 'build' });
          expect([...indexed.survivors]).toEqual([...cursors.survivors]);
          expect(indexed.stats).toEqual(cursors.stats);
          expect(indexed.blacklist_breakdown).toEqual(cursors.blacklist_breakdown);
          expect(indexed.stats.initial_count).toBe(new Set(input).size);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('counts input IINs the index does not hold once, removed or kept in order, in a big bucket', () => {
    // 6,000 distinct IINs (each given twice) over a dozen 2^14-wide spans of one bucket; the datasets hold about
    // half of them, so the rest are absent from the index: with MAU on they are removed by it, with the
    // blacklist alone they survive between the ones the index holds.
    const universe = Array.from({ length: 6000 }, (_, k) => BASES[0]! + k * 37);
    const input = [...universe, ...universe.slice().reverse()];
    const datasets: PipelineDatasets = {
      blacklists: { BL: setDataset('BL', [...universe.filter((_, k) => k % 7 === 0), BASES[0]! + 1]) },
      mau: setDataset(
        'mau',
        universe.filter((_, k) => k % 2 === 0),
      ),
    };
    for (const config of [{ blacklist_tables: ['BL'] }, { blacklist_tables: ['BL'], mau_only: true }]) {
      const cursors = runFilterPipeline(input, datasets, config, { mergedIndex: 'off' });
      const indexed = runFilterPipeline(input, datasets, config, { mergedIndex: 'build' });
      expect(indexed.stats).toEqual(cursors.stats);
      expect([...indexed.survivors]).toEqual([...cursors.survivors]);
      expect(indexed.blacklist_breakdown).toEqual(cursors.blacklist_breakdown);
      expect(indexed.stats.initial_count).toBe(6000);
    }
  });

  it('falls back to sorting when an input value is not an IIN-sized integer, with the same result', () => {
    // Odd values in the input, and in a dataset (the index then has no buckets at all).
    for (const mau of [
      [1, 2, 3],
      [1, 2, 3, 2 ** 41],
    ]) {
      const datasets: PipelineDatasets = { mau: setDataset('mau', mau) };
      for (const odd of [2.5, 2 ** 41, -1]) {
        const input = [3, odd, 1, 3, 7];
        const indexed = runFilterPipeline(input, datasets, { mau_only: true }, { mergedIndex: 'build' });
        const cursors = runFilterPipeline(input, datasets, { mau_only: true }, { mergedIndex: 'off' });
        expect(indexed.stats).toEqual(cursors.stats);
        expect([...indexed.survivors]).toEqual([...cursors.survivors]);
        expect(indexed.stats.initial_count).toBe(4);
      }
    }
  });

  it('splits the pass in two (the other half run by a given merger) with the one-thread result', async () => {
    // 200k input IINs over ~40 buckets (some repeated), datasets holding every 2nd, 3rd and 5th of them.
    const universe = Array.from({ length: 150_000 }, (_, k) => 400101_000_000 + k * 2_000_003);
    const input = Array.from({ length: 200_000 }, (_, k) => universe[(k * 7919) % universe.length]!);
    const datasets: PipelineDatasets = {
      blacklists: {
        BL: setDataset(
          'BL',
          universe.filter((_, k) => k % 5 === 0),
        ),
      },
      devices: valueDataset(
        'devices',
        universe.flatMap(
          (x, k): Array<[number, string]> => (k % 2 === 0 ? [[x, DEVICES[k % 4 === 0 ? 0 : 1]!]] : []),
        ),
        DEVICES,
      ),
      mau: setDataset(
        'mau',
        universe.filter((_, k) => k % 3 !== 0),
      ),
    };
    const config = { blacklist_tables: ['BL'], devices: ['iOS'], mau_only: true, contact_pressure: true };
    const offLimitIins = universe.filter((_, k) => k % 11 === 0);
    const alone = runFilterPipeline(input, datasets, config, { offLimitIins, mergedIndex: 'off' });
    expect(alone.stats.final_count).toBeGreaterThan(1000);
    let calls = 0;
    const split = await runFilterPipelineSplit(input, datasets, config, {
      offLimitIins,
      mergedIndex: 'build',
      mergeElsewhere: async (job) => {
        calls++;
        expect(job.from).toBeGreaterThan(0);
        return mergeBuckets(job);
      },
    });
    expect(calls).toBe(1);
    expect(split.stats).toEqual(alone.stats);
    expect(split.blacklist_breakdown).toEqual(alone.blacklist_breakdown);
    expect([...split.survivors]).toEqual([...alone.survivors]);
    // The other side failing (a worker gone) costs time, not the result.
    const fallback = await runFilterPipelineSplit(input, datasets, config, {
      offLimitIins,
      mergeElsewhere: () => Promise.reject(new Error('worker exited')),
    });
    expect([...fallback.survivors]).toEqual([...alone.survivors]);
  });
});
