import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setDataset, skippedDataset, valueDataset } from '../testing';
import { mergeBuckets } from './bucket-merge';
import { buildClientIndex } from './client-index';
import { cursorPass } from './cursor-pass';
import { filterConfigSchema } from './filter-config';
import type { PipelineDatasets } from './filter-pipeline';
import { FILTER_STEPS } from './filter-steps';
import { sortUnique } from './iin-vector';
import { bucketedIndexedPass, indexedPass, prepareBucketedPass } from './indexed-pass';
import { type PassCounts, planSteps } from './pass-plan';

// The three passes run the same plan (the step table made concrete by a config): their counts must agree on
// every step and every list, whichever steps the config leaves out. IINs in three index buckets (2^28 wide).
const iin = fc
  .integer({ min: 1, max: 70 })
  .map((k) => [900101300000 + k, 7 * 2 ** 28 + 16_384 * k, 999_999_999_930 + k][k % 3]!);
const iins = fc.array(iin, { maxLength: 60 });
const BLACKLISTS = ['A', 'B', 'C', 'D'];
const DEVICES = ['android', 'iOS', 'harmony'];
const PRODUCTS = ['card', 'deposit', 'loan'];
/** 40 labels: a dataset that knows them all needs two mask words, so the index is not one word wide. */
const MANY_STREAMS = Array.from({ length: 40 }, (_, k) => `stream ${k}`);

const valueRows = (labels: string[]) =>
  fc.array(fc.tuple(iin, fc.constantFrom(...labels)), { maxLength: 80 });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 6, nil: undefined });

const data = fc.record({
  blacklists: fc.tuple(...BLACKLISTS.map(() => maybe(iins))),
  devices: maybe(valueRows(DEVICES)),
  push: maybe(valueRows(MANY_STREAMS)),
  mau: maybe(iins),
  products: maybe(valueRows(PRODUCTS)),
  /** The push dataset knows all 40 streams (a two-word index) or only those it holds. */
  wideIndex: fc.boolean(),
});
// Every list of names may be empty and every flag false: steps left out in any combination.
const config = fc.record({
  blacklist_tables: fc.subarray([...BLACKLISTS, 'not registered']),
  devices: fc.subarray([...DEVICES, 'symbian']),
  push_streams: fc.subarray(MANY_STREAMS.slice(0, 4)),
  mau_only: fc.boolean(),
  products: fc.subarray(PRODUCTS),
  contact_pressure: fc.boolean(),
});

const comparable = (counts: PassCounts) => ({
  distinct: counts.distinct,
  removed: [...counts.removed],
  survivors: [...counts.survivors],
  matched: [...counts.matched],
  onlyHere: [...counts.onlyHere],
});

describe('the three passes over one plan', () => {
  it('count the same removals per step and the same per-list breakdown for any config', () => {
    fc.assert(
      fc.property(iins, data, config, iins, (input, raw, cfg, offLimit) => {
        const lists = Object.fromEntries(
          BLACKLISTS.map((name, k) => {
            const rows = raw.blacklists[k];
            return [name, rows ? setDataset(name, rows) : skippedDataset(name)];
          }),
        );
        const held = (rows: Array<[number, string]>) => [...new Set(rows.map(([, v]) => v))];
        const datasets: PipelineDatasets = {
          blacklists: lists,
          devices: raw.devices ? valueDataset('devices', raw.devices, DEVICES) : skippedDataset('devices'),
          push: raw.push
            ? valueDataset('push', raw.push, raw.wideIndex ? MANY_STREAMS : held(raw.push))
            : undefined,
          mau: raw.mau ? setDataset('mau', raw.mau) : skippedDataset('mau'),
          products: raw.products ? valueDataset('products', raw.products, PRODUCTS) : undefined,
        };
        const { plan, status } = planSteps(filterConfigSchema.parse(cfg), datasets, offLimit);
        const loaded = [
          ...Object.values(lists),
          datasets.devices,
          datasets.push,
          datasets.mau,
          datasets.products,
        ];
        const index = buildClientIndex(
          loaded.flatMap((ds) => (ds?.status === 'ok' ? [{ iins: ds.iins, values: ds.values }] : [])),
        );

        const cursors = comparable(cursorPass(sortUnique(input), plan));
        expect(comparable(indexedPass(sortUnique(input), plan, index))).toEqual(cursors);
        const bucketed = bucketedIndexedPass(input, plan, index);
        // The bucketed pass needs a one-word index; the wide push dataset makes it two.
        expect(bucketed === undefined).toBe(index.words > 1);
        if (bucketed) expect(comparable(bucketed)).toEqual(cursors);
        const split = prepareBucketedPass(input, plan, index, 2);
        if (split) expect(comparable(split.finish(split.jobs.map(mergeBuckets)))).toEqual(cursors);

        // A step that does not apply removes nobody, and the removals add up to what the survivors say.
        FILTER_STEPS.forEach((spec, position) => {
          if (status[spec.id] !== 'applied') expect(cursors.removed[position]).toBe(0);
        });
        const removed = cursors.removed.reduce((a, b) => a + b, 0);
        expect(removed + cursors.survivors.length).toBe(new Set(input).size);
      }),
      { numRuns: 500 },
    );
  }, 60_000); // a shared, loaded machine takes several times its quiet 4 s
});
