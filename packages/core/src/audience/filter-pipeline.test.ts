import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NaiveData, naivePipeline, setDataset, skippedDataset, valueDataset } from '../testing';
import { bucketSpreadIins, bucketSpreadValueRows } from '../testing/bucket-spread-iins';
import { iinsToArrowTable } from './arrow-iins';
import { type LoadedDataset, type PipelineDatasets, runFilterPipeline } from './filter-pipeline';
import { sortUnique } from './iin-vector';
import { PipelineCache } from './pipeline-cache';

// IINs spread over three of the index's buckets (testing/bucket-spread-iins.ts).
const iins = bucketSpreadIins;
const valueRows = bucketSpreadValueRows;
const DEVICES = ['android', 'iOS', 'harmony'];
const STREAMS = ['Переводы', 'Платежи', 'Маркет'];
const PRODUCTS = ['Кредитная карта', 'Депозит'];
const BLACKLISTS = ['ACRM_DW.RB_BLACK_LIST@ACRM', 'dssb_de.dim_clients_black_list', 'BL_No_worker'];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 5, nil: undefined });
const naiveData = fc.record({
  blacklists: fc.record(Object.fromEntries(BLACKLISTS.map((n) => [n, maybe(iins)]))) as fc.Arbitrary<
    Record<string, number[] | undefined>
  >,
  devices: maybe(valueRows(DEVICES)),
  push: maybe(valueRows(STREAMS)),
  mau: maybe(iins),
  products: maybe(valueRows(PRODUCTS)),
});
const config = fc.record({
  blacklist_tables: fc.subarray(BLACKLISTS),
  devices: fc.subarray([...DEVICES, 'IOS']),
  push_streams: fc.subarray(STREAMS),
  mau_only: fc.boolean(),
  products: fc.subarray(PRODUCTS),
  contact_pressure: fc.boolean(),
});

// 'off': a cursor per dataset; 'build': one merged index of all datasets (client-index.ts); 'auto': either.
const mergedIndex = fc.constantFrom('off' as const, 'build' as const, 'auto' as const);

function toDatasets(data: NaiveData): PipelineDatasets {
  const blacklists: Record<string, LoadedDataset> = {};
  for (const name of BLACKLISTS) {
    const rows = data.blacklists[name];
    blacklists[name] = rows === undefined ? skippedDataset(name) : setDataset(name, rows);
  }
  return {
    blacklists,
    devices: data.devices === undefined ? skippedDataset('devices') : valueDataset('devices', data.devices),
    push: data.push === undefined ? skippedDataset('push') : valueDataset('push', data.push),
    mau: data.mau === undefined ? skippedDataset('mau') : setDataset('mau', data.mau),
    products:
      data.products === undefined ? skippedDataset('products') : valueDataset('products', data.products),
  };
}

// The two property tests run hundreds of cases (~2-3 s alone); on a loaded 2-core machine, beside the rest of the
// suite, that passed the default 5 s once. Their budget says how long they may take, not how fast they must be.
const PROPERTY_TIMEOUT = { timeout: 60_000 };

describe('runFilterPipeline', () => {
  it('survivors and every stat equal a naive Set-based pipeline on random datasets', PROPERTY_TIMEOUT, () => {
    fc.assert(
      fc.property(iins, naiveData, config, iins, mergedIndex, (input, data, cfg, offLimit, merged) => {
        const result = runFilterPipeline(input, toDatasets(data), cfg, {
          offLimitIins: offLimit,
          mergedIndex: merged,
        });
        const expected = naivePipeline(input, data, cfg, offLimit);
        expect([...result.survivors]).toEqual(expected.survivors);
        expect(result.stats).toEqual(expected.stats);
        const missing = cfg.blacklist_tables.filter((n) => data.blacklists[n] === undefined);
        expect(result.skipped_blacklists).toEqual(missing);
        for (const name of missing) expect(result.warnings.some((w) => w.dataset === name)).toBe(true);
        const applied = cfg.blacklist_tables.filter((n) => data.blacklists[n] !== undefined);
        const audience = new Set(input);
        for (const entry of result.blacklist_breakdown.filter((b) => b.status === 'applied')) {
          const inList = (name: string, x: number) => data.blacklists[name]!.includes(x);
          const matched = [...audience].filter((x) => inList(entry.name, x));
          expect(entry.matched).toBe(matched.length);
          const only = matched.filter((x) =>
            applied.every((other) => other === entry.name || !inList(other, x)),
          );
          expect(entry.only_here).toBe(only.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it(
    'gives the same result through a cached merged index as through the cursors, and rebuilds it on change',
    PROPERTY_TIMEOUT,
    () => {
      fc.assert(
        fc.property(iins, naiveData, config, (input, data, cfg) => {
          const datasets = toDatasets(data);
          const cache = new PipelineCache();
          const off = runFilterPipeline(input, datasets, cfg, { mergedIndex: 'off', cache });
          runFilterPipeline(input, datasets, cfg, { mergedIndex: 'build', cache });
          const cached = runFilterPipeline(input, datasets, cfg, { cache });
          expect([...cached.survivors]).toEqual([...off.survivors]);
          expect(cached.stats).toEqual(off.stats);
          expect(cached.blacklist_breakdown).toEqual(off.blacklist_breakdown);
          // A dataset replaced (its file changed): the old index must not be used for it.
          const mau = input.slice(0, 3);
          const changedCfg = { ...cfg, contact_pressure: false };
          const changed = runFilterPipeline(input, { ...datasets, mau: setDataset('mau', mau) }, changedCfg, {
            cache,
          });
          expect(changed.stats).toEqual(naivePipeline(input, { ...data, mau }, changedCfg, []).stats);
        }),
        { numRuns: 150 },
      );
    },
  );

  it('counts duplicate input IINs once and reports the seed example shape', () => {
    const a = 900101300007;
    const b = 900101300811;
    const c = 900101300015;
    const datasets: PipelineDatasets = {
      blacklists: { 'ACRM_DW.RB_BLACK_LIST@ACRM': setDataset('bl', [b]) },
    };
    const result = runFilterPipeline([a, b, c, a], datasets, {
      blacklist_tables: ['ACRM_DW.RB_BLACK_LIST@ACRM'],
    });
    expect(result.stats).toEqual({
      initial_count: 3,
      after_blacklist: 2,
      blacklist_removed: 1,
      final_count: 2,
      total_removed: 1,
    });
    expect(result.blacklist_breakdown).toEqual([
      { name: 'ACRM_DW.RB_BLACK_LIST@ACRM', status: 'applied', matched: 1, only_here: 1 },
    ]);
  });

  it('breaks blacklist removals down per list, flags a missing one and keeps going', () => {
    const datasets: PipelineDatasets = {
      blacklists: { A: setDataset('A', [1, 2, 3]), B: setDataset('B', [3, 4]), C: skippedDataset('C') },
    };
    const result = runFilterPipeline([1, 2, 3, 4, 5, 6], datasets, {
      blacklist_tables: ['A', 'B', 'C', 'D'],
    });
    expect(result.stats.blacklist_removed).toBe(4);
    expect(result.blacklist_breakdown.map((b) => [b.name, b.status, b.matched, b.only_here])).toEqual([
      ['A', 'applied', 3, 2],
      ['B', 'applied', 2, 1],
      ['C', 'skipped', 0, 0],
      ['D', 'skipped', 0, 0],
    ]);
    expect(result.skipped_blacklists).toEqual(['C', 'D']);
    expect(result.warnings.map((w) => [w.dataset, w.code])).toEqual([
      ['C', 'DATASET.FILE_MISSING'],
      ['D', 'DATASET.NOT_REGISTERED'],
    ]);
  });

  it('warns about a device nobody has, and accepts an Arrow table as input', () => {
    const datasets: PipelineDatasets = { devices: valueDataset('devices', [[1, 'android']]) };
    const input = iinsToArrowTable(sortUnique([1, 2]));
    const result = runFilterPipeline(input, datasets, { devices: ['android', 'symbian'] });
    expect([...result.survivors]).toEqual([1]);
    expect(result.warnings).toEqual([
      expect.objectContaining({ step: 'device', code: 'FILTER.UNKNOWN_VALUE', dataset: 'devices' }),
    ]);
  });

  it('rejects a config with an empty name', () => {
    expect(() => runFilterPipeline([1], {}, { devices: [' '] })).toThrow(/cannot be empty/);
  });
});
