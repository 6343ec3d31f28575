// The audience sample's facts against a naive lookup in plain Sets and Maps, over random datasets written as
// parquet files and read back by the store (in-process) and by the audience worker (the path the API takes).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeParquetTable } from '@campaigns/core';
import { Table, Utf8, vectorFromArray } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { lookupSampleFacts, type SampleMemberFacts } from './audience-sample';
import { AudienceWorker } from './audience-worker';
import { DatasetStore } from './dataset-store';
import { int64IinColumn } from './demo-datasets';
import { REGISTRY_FILE } from './registry';

const universe = fc.integer({ min: 1, max: 50 }).map((k) => 900101300000 + k * 11);
const iins = fc.array(universe, { maxLength: 40 });
const DEVICES = ['android', 'iOS', 'harmony'];
const STREAMS = ['Переводы', 'Платежи'];
const PRODUCTS = ['Кредитная карта', 'Депозит', 'Ипотека'];
const BLACKLISTS = ['ACRM_DW.RB_BLACK_LIST@ACRM', 'BL_No_worker'];
const valueRows = (values: string[]) =>
  fc.array(fc.tuple(universe, fc.constantFrom(...values)), { maxLength: 60 });

const data = fc.record({
  blacklists: fc.tuple(iins, iins),
  devices: valueRows(DEVICES),
  push: valueRows(STREAMS),
  mau: iins,
  products: valueRows(PRODUCTS),
});
type Data = typeof data extends fc.Arbitrary<infer T> ? T : never;

const config = fc.record({
  blacklist_tables: fc.subarray(BLACKLISTS),
  devices: fc.subarray(DEVICES),
  push_streams: fc.subarray(STREAMS),
  mau_only: fc.boolean(),
  products: fc.subarray(PRODUCTS),
});
type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** A DATA_DIR with the datasets written as parquet files and registered (`missing`: registered, no file). */
async function dataDir(d: Data, missing: string | null): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'audience-sample-'));
  dirs.push(dir);
  const write = async (file: string, table: Table) => {
    if (file !== missing) await writeFile(path.join(dir, file), writeParquetTable(table));
  };
  const valueTable = (rows: Array<[number, string]>) =>
    new Table({
      iin: int64IinColumn(rows.map(([iin]) => iin)),
      value: vectorFromArray(
        rows.map(([, v]) => v),
        new Utf8(),
      ),
    });
  await write('bl0.parquet', new Table({ iin: int64IinColumn(d.blacklists[0]) }));
  await write('bl1.parquet', new Table({ iin: int64IinColumn(d.blacklists[1]) }));
  await write('devices.parquet', valueTable(d.devices));
  await write('push.parquet', valueTable(d.push));
  await write('mau.parquet', new Table({ iin: int64IinColumn(d.mau) }));
  await write('products.parquet', valueTable(d.products));
  const value = (file: string, kind: string) => ({ file, iin_column: 'iin', value_column: 'value', kind });
  await writeFile(
    path.join(dir, REGISTRY_FILE),
    JSON.stringify({
      [BLACKLISTS[0]!]: { file: 'bl0.parquet', iin_column: 'iin', kind: 'blacklist' },
      [BLACKLISTS[1]!]: { file: 'bl1.parquet', iin_column: 'iin', kind: 'blacklist' },
      devices: value('devices.parquet', 'device'),
      push: value('push.parquet', 'push'),
      mau: { file: 'mau.parquet', iin_column: 'iin', kind: 'mau' },
      products: value('products.parquet', 'product'),
    }),
  );
  return dir;
}

/** The reference: what each applied step says about one IIN, from plain Sets and Maps. */
function naiveFacts(
  d: Data,
  cfg: Config,
  missing: string | null,
  iin: number,
): Omit<SampleMemberFacts, 'iin'> {
  const files: Record<string, string> = {
    [BLACKLISTS[0]!]: 'bl0.parquet',
    [BLACKLISTS[1]!]: 'bl1.parquet',
  };
  const listed = new Map(BLACKLISTS.map((name, i) => [name, new Set(d.blacklists[i])]));
  const held = (rows: Array<[number, string]>) => {
    const byIin = new Map<number, Set<string>>();
    for (const [i, v] of rows) byIin.set(i, (byIin.get(i) ?? new Set()).add(v));
    return [...(byIin.get(iin) ?? [])].sort();
  };
  const facts: Omit<SampleMemberFacts, 'iin'> = {
    blacklists: cfg.blacklist_tables.filter((name) => files[name] !== missing && listed.get(name)!.has(iin)),
  };
  if (cfg.devices.length > 0 && missing !== 'devices.parquet') facts.devices = held(d.devices);
  if (cfg.push_streams.length > 0 && missing !== 'push.parquet') facts.push_streams = held(d.push);
  if (cfg.mau_only && missing !== 'mau.parquet') facts.mau = new Set(d.mau).has(iin);
  if (cfg.products.length > 0 && missing !== 'products.parquet') facts.products = held(d.products);
  return facts;
}

const sorted = (f: SampleMemberFacts) => ({
  ...f,
  blacklists: [...f.blacklists].sort(),
  ...(f.devices ? { devices: [...f.devices].sort() } : {}),
  ...(f.push_streams ? { push_streams: [...f.push_streams].sort() } : {}),
  ...(f.products ? { products: [...f.products].sort() } : {}),
});

const FILES = [
  'bl0.parquet',
  'bl1.parquet',
  'devices.parquet',
  'push.parquet',
  'mau.parquet',
  'products.parquet',
];

describe('lookupSampleFacts', () => {
  it('says what each applied step read, as a naive lookup does, for any datasets and config', async () => {
    await fc.assert(
      fc.asyncProperty(
        data,
        config,
        fc.array(universe, { minLength: 1, maxLength: 20 }),
        fc.option(fc.constantFrom(...FILES), { nil: null }),
        async (d, cfg, sample, missing) => {
          const dir = await dataDir(d, missing);
          const store = new DatasetStore(dir, { cacheDir: null });
          const facts = await lookupSampleFacts(store, { iins: Float64Array.from(sample), config: cfg });
          expect(facts.members.map((m) => m.iin)).toEqual(sample);
          for (const member of facts.members)
            expect(sorted(member)).toEqual({ iin: member.iin, ...naiveFacts(d, cfg, missing, member.iin) });
          // A step whose file is missing is named as skipped: its facts are unknown, not "none".
          const skipped = [
            ...facts.datasets.blacklists,
            ...(['devices', 'push', 'mau', 'products'] as const).flatMap((s) => facts.datasets[s] ?? []),
          ].filter((use) => use.status === 'skipped');
          expect(skipped.length).toBeLessThanOrEqual(1);
          await rm(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 40 },
    );
  }, 120_000);

  it('answers the same through the audience worker, from the datasets it holds for filter runs', async () => {
    const d: Data = {
      blacklists: [[900101300011], [900101300022, 900101300033]],
      devices: [
        [900101300011, 'iOS'],
        [900101300011, 'android'],
        [900101300044, 'harmony'],
      ],
      push: [[900101300044, 'Платежи']],
      mau: [900101300044],
      products: [[900101300055, 'Депозит']],
    };
    const cfg: Config = {
      blacklist_tables: [...BLACKLISTS],
      devices: ['iOS'],
      push_streams: ['Платежи'],
      mau_only: true,
      products: ['Депозит'],
    };
    const dir = await dataDir(d, null);
    const worker = new AudienceWorker(dir);
    try {
      const sample = [900101300011, 900101300044, 900101300055];
      const facts = await worker.sampleFacts({ iins: Float64Array.from(sample), config: cfg });
      expect(facts.members.map(sorted)).toEqual(
        sample.map((iin) => ({ iin, ...naiveFacts(d, cfg, null, iin) })),
      );
      expect(facts.members[0]).toMatchObject({ blacklists: [BLACKLISTS[0]], mau: false });
      expect(facts.members[1]).toMatchObject({ devices: ['harmony'], push_streams: ['Платежи'], mau: true });
      expect(facts.datasets.devices).toEqual({ name: 'devices', status: 'ok' });
    } finally {
      await worker.close();
    }
  }, 60_000);
});
