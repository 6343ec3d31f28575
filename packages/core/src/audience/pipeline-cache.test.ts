// Scratch reserved ahead of the first run (PipelineCache.reserveScratch, what a prepared service does): runs over
// it, with inputs shorter or longer than what was reserved, give the naive reference's answer.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NaiveData, naivePipeline, setDataset, skippedDataset, valueDataset } from '../testing';
import { bucketSpreadIins, bucketSpreadValueRows } from '../testing/bucket-spread-iins';
import { type PipelineDatasets, prepareMergedIndex, runFilterPipeline } from './filter-pipeline';
import { PipelineCache } from './pipeline-cache';

// IINs spread over three of the index's buckets (testing/bucket-spread-iins.ts).
const iins = bucketSpreadIins;
const valueRows = bucketSpreadValueRows;
const LIST = 'BL_No_worker';
const data = fc.record({
  blacklists: fc.record({ [LIST]: iins }),
  devices: valueRows(['android', 'iOS']),
  push: fc.constant(undefined),
  mau: iins,
  products: valueRows(['Депозит', 'Кредитная карта']),
});
const config = fc.record({
  blacklist_tables: fc.constant<string[]>([LIST]),
  devices: fc.subarray(['android', 'iOS']),
  push_streams: fc.constant<string[]>([]),
  mau_only: fc.boolean(),
  products: fc.subarray(['Депозит', 'Кредитная карта']),
  contact_pressure: fc.constant(false),
});

function toDatasets(rows: NaiveData): PipelineDatasets {
  return {
    blacklists: { [LIST]: setDataset(LIST, rows.blacklists[LIST]!) },
    devices: valueDataset('devices', rows.devices!),
    push: skippedDataset('push'),
    mau: setDataset('mau', rows.mau!),
    products: valueDataset('products', rows.products!),
  };
}

describe('PipelineCache.reserveScratch', () => {
  it('runs over reserved scratch, longer or shorter than their inputs, give the naive answer', () => {
    fc.assert(
      fc.property(
        iins,
        data,
        config,
        fc.integer({ min: 0, max: 80 }),
        fc.boolean(),
        (input, rows, cfg, reserved, shared) => {
          const datasets = toDatasets(rows);
          const cache = new PipelineCache();
          expect(prepareMergedIndex(datasets, cache)?.words).toBe(1); // the bucketed pass, which borrows scratch
          cache.reserveScratch(reserved, shared);
          const expected = naivePipeline(input, rows, cfg, []);
          for (const run of [input, [...input].reverse()]) {
            const result = runFilterPipeline(run, datasets, cfg, { cache });
            expect([...result.survivors]).toEqual(expected.survivors);
            expect(Object.fromEntries(Object.keys(expected.stats).map((k) => [k, result.stats[k]]))).toEqual(
              expected.stats,
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  }, 60_000);
});
