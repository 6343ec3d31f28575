import { writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FilterConfigInput, writeParquetTable } from '@campaigns/core';
import { Table } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatasetRegistry, DatasetStore, REGISTRY_FILE, runAudience } from '../index';
import { lookupSampleFacts } from './audience-sample';
import type { PreparedCacheEvent } from './dataset-store';
import { dictionaryColumn, generateIins, int64IinColumn, seededRandom, textIinColumn } from './demo-datasets';
import { PREPARED_FORMAT } from './prepared-cache';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'prepared-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const LIST = 'BL_No_worker';
const everyone = generateIins(4_000, seededRandom(3));
const config = { blacklist_tables: [LIST], products: ['b'] };

/** A blacklist of `count` IINs starting at `from` (int64, uncompressed: the same count gives the same file size). */
async function writeBlacklist(from: number, count = 500) {
  const table = new Table({ iin: int64IinColumn(everyone.subarray(from, from + count)) });
  await writeFile(path.join(dir, 'bl.parquet'), writeParquetTable(table, { compression: 'none' }));
}

/** Products in no order with text IINs, as exports come: IIN i holds product i % 3 (a, b or c). */
async function writeProducts() {
  const codes = Int8Array.from(everyone, (_, i) => i % 3);
  const table = new Table({
    IIN: textIinColumn(everyone),
    PRODUCT: dictionaryColumn(codes, ['a', 'b', 'c']),
  });
  await writeFile(path.join(dir, 'products.parquet'), writeParquetTable(table));
}

async function setUp() {
  await writeBlacklist(0);
  await writeProducts();
  const registry: DatasetRegistry = {
    [LIST]: { file: 'bl.parquet', iin_column: 'IIN', kind: 'blacklist' },
    products: { file: 'products.parquet', iin_column: 'iin', value_column: 'product', kind: 'product' },
  };
  await writeFile(path.join(dir, REGISTRY_FILE), JSON.stringify(registry));
}

/** The naive answer: everyone not in the blacklist rows [from, from + 500) who holds product b. */
function expected(from: number): number[] {
  const listed = new Set(everyone.subarray(from, from + 500));
  return [...everyone].filter((v, i) => !listed.has(v) && i % 3 === 1).sort((a, b) => a - b);
}

/** A fresh store (a restart) with its cache events, run once over everyone. */
async function restart(options: { mergedIndex?: boolean } = {}) {
  const events: PreparedCacheEvent[] = [];
  const store = new DatasetStore(dir, { ...options, onCacheEvent: (e) => events.push(e) });
  const result = await runAudience(store, { iins: everyone, config });
  return { store, events, survivors: [...result.survivors], result };
}

const misses = (events: PreparedCacheEvent[]) =>
  Object.fromEntries(events.flatMap((e) => (e.event === 'miss' ? [[e.dataset, e.miss]] : [])));
const hits = (events: PreparedCacheEvent[]) => events.filter((e) => e.event === 'hit').map((e) => e.dataset);

async function cacheFiles(): Promise<string[]> {
  const names = await readdir(path.join(dir, 'cache'));
  return names.filter((n) => n.endsWith('.prepared')).map((n) => path.join(dir, 'cache', n));
}

/** The cache file of the blacklist: the smaller of the two. */
async function blacklistCacheFile(): Promise<string> {
  const files = await cacheFiles();
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  return files[sizes.indexOf(Math.min(...sizes))]!;
}

describe('prepared cache (DATA_DIR/cache)', () => {
  it('a restart reads the decoded datasets from the cache instead of the parquet files, same answer', async () => {
    await setUp();
    const first = await restart();
    expect(misses(first.events)).toEqual({ [LIST]: 'absent', products: 'absent' });
    expect(first.survivors).toEqual(expected(0));
    expect((await cacheFiles()).length).toBe(2);

    const second = await restart();
    expect(hits(second.events).sort()).toEqual([LIST, 'products'].sort());
    expect(second.survivors).toEqual(expected(0));
    expect(second.result.stats).toEqual(first.result.stats);
    const described = await second.store.describeDatasets();
    expect(described.map((d) => d.prepared_from)).toEqual(['cache', 'cache']);
    expect(described.find((d) => d.name === 'products')!.values).toEqual({ a: 1334, b: 1333, c: 1333 });
  });

  it('a file replaced by one of the same size and the same mtime is seen by its footer hash', async () => {
    await setUp();
    const file = path.join(dir, 'bl.parquet');
    const when = new Date(Math.floor(Date.now() / 1000) * 1000); // whole seconds: utimes keeps them exactly
    await utimes(file, when, when);
    await restart();
    const before = await stat(file);
    await writeBlacklist(1_000); // other IINs, same count: the same size
    await utimes(file, when, when);
    const after = await stat(file);
    expect([after.size, after.mtimeMs]).toEqual([before.size, before.mtimeMs]);

    const run = await restart();
    expect(misses(run.events)).toEqual({ [LIST]: 'stale' });
    expect(run.survivors).toEqual(expected(1_000));
    expect(hits((await restart()).events).sort()).toEqual([LIST, 'products'].sort()); // rebuilt
  });

  it('a touched file (same bytes, new mtime) is a stale cache: decoded again, same answer', async () => {
    await setUp();
    await restart();
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(dir, 'products.parquet'), later, later);
    const run = await restart();
    expect(misses(run.events)).toEqual({ products: 'stale' });
    expect(run.survivors).toEqual(expected(0));
  });

  it('a truncated, corrupted, foreign or other-format cache file is rebuilt, never trusted', async () => {
    await setUp();
    await restart();
    const cacheFile = await blacklistCacheFile();
    const original = await readFile(cacheFile);

    await truncate(cacheFile, original.byteLength - 100);
    expect(misses((await restart()).events)).toEqual({ [LIST]: 'truncated' });
    expect(await readFile(cacheFile)).toEqual(original); // rewritten whole

    // One flipped bit in the IIN section: an IIN the blacklist does not hold would be trusted.
    const flipped = Buffer.from(original);
    flipped[original.byteLength - 100]! ^= 1;
    await writeFile(cacheFile, flipped);
    const corrupt = await restart();
    expect(misses(corrupt.events)).toEqual({ [LIST]: 'corrupt' });
    expect(corrupt.survivors).toEqual(expected(0));

    const otherFormat = Buffer.from(original);
    otherFormat.writeUInt32LE(PREPARED_FORMAT + 1, 8);
    await writeFile(cacheFile, otherFormat);
    expect(misses((await restart()).events)).toEqual({ [LIST]: 'format' });

    await writeFile(cacheFile, Buffer.alloc(original.byteLength, 7));
    const foreign = await restart();
    expect(misses(foreign.events)).toEqual({ [LIST]: 'foreign' });
    expect(foreign.survivors).toEqual(expected(0));
    expect(await readFile(cacheFile)).toEqual(original);
  });

  it('keeps the merged index too: a restart adopts it and filters without building it', async () => {
    await setUp();
    const store = new DatasetStore(dir, { mergedIndex: true });
    await store.prepareAll();
    expect((await cacheFiles()).length).toBe(3);

    const run = await restart({ mergedIndex: true });
    // The index answers the filter alone: the datasets' vectors stay in the cache (their headers were checked).
    expect(hits(run.events)).toEqual(['merged-index']);
    expect(run.survivors).toEqual(expected(0));
    // The adopted index's IINs (kept on disk as low bits per bucket) are every dataset's IINs once, in order.
    const list = (await run.store.load(LIST))!;
    const products = (await run.store.load('products'))!;
    if (list.status !== 'ok' || products.status !== 'ok') throw new Error('datasets not loaded');
    const adopted = run.store.pipelineCache.cachedIndex([list.iins, products.iins])!;
    expect([...adopted.iins]).toEqual([...new Set([...list.iins, ...products.iins])].sort((a, b) => a - b));

    // A changed dataset makes the index stale as well.
    await writeBlacklist(2_000);
    const changed = await restart({ mergedIndex: true });
    expect(misses(changed.events)).toEqual({ [LIST]: 'stale', 'merged-index': 'stale' });
    expect(changed.survivors).toEqual(expected(2_000));
  });

  it('a restart adopts the index before the vectors, which are read on first use', async () => {
    await setUp();
    await new DatasetStore(dir, { mergedIndex: true }).prepareAll();
    const fresh = new DatasetStore(dir, { cacheDir: null }); // every file decoded: the reference
    const run = await restart({ mergedIndex: true });
    expect(run.survivors).toEqual(expected(0));
    const described = await run.store.describeDatasets();
    expect(described.map((d) => [d.status, d.prepared_from, d.vectors])).toEqual([
      ['loaded', 'cache', 'in_cache'],
      ['loaded', 'cache', 'in_cache'],
    ]);
    // Counts from the cache files' headers, before their vectors are read.
    expect(described.find((d) => d.name === 'products')!.values).toEqual({ a: 1334, b: 1333, c: 1333 });
    expect(described.find((d) => d.name === LIST)!.distinct_iins).toBe(500);
    // Other filters over the same index, each against the naive answer.
    const holders = (i: number) => everyone.filter((_, k) => k % 3 === i);
    const listed = new Set(everyone.subarray(0, 500));
    for (const [filter, want] of [
      [{ products: ['a', 'c'] }, [...holders(0), ...holders(2)]],
      [{ blacklist_tables: [LIST] }, [...everyone].filter((v) => !listed.has(v))],
    ] satisfies Array<[FilterConfigInput, number[]]>) {
      const result = await runAudience(run.store, { iins: everyone, config: filter });
      expect([...result.survivors]).toEqual([...want].sort((x, y) => x - y));
    }
    // The wizard's list loads the value kinds for their labels and counts: those come from the headers.
    const wizardList = await run.store.describeDatasets(['product']);
    expect(wizardList.find((d) => d.name === 'products')).toMatchObject({
      vectors: 'in_cache',
      values: { b: 1333 },
    });
    expect(run.events.filter((e) => e.event === 'vectors_read')).toEqual([]);

    // Product selection reads the product vectors then (and only those), equal to a decode of the file.
    const selection = await run.store.selectByProducts(['b']);
    expect([...selection.iins]).toEqual([...(await fresh.selectByProducts(['b'])).iins]);
    expect(run.events.filter((e) => e.event === 'vectors_read')).toEqual([
      { dataset: 'products', event: 'vectors_read' },
    ]);
    const list = (await run.store.load(LIST))!;
    const reference = (await fresh.load(LIST))!;
    if (list.status !== 'ok' || reference.status !== 'ok') throw new Error('blacklist not loaded');
    expect([...list.iins]).toEqual([...reference.iins]);
    expect((await run.store.describeDatasets()).map((d) => d.vectors)).toEqual(['in_memory', 'in_memory']);
  });

  it('a request that needs the vectors waits for them while the index answers filters', async () => {
    await setUp();
    await new DatasetStore(dir, { mergedIndex: true }).prepareAll();
    const events: PreparedCacheEvent[] = [];
    const store = new DatasetStore(dir, { mergedIndex: true, onCacheEvent: (e) => events.push(e) });
    // A preparation (which reads the vectors after the index), the audience sample and a filter at once.
    const preparing = store.prepareAll();
    const sampled = [everyone[0]!, everyone[1]!, everyone[700]!];
    const [facts, result] = await Promise.all([
      lookupSampleFacts(store, { iins: Float64Array.from(sampled), config }),
      runAudience(store, { iins: everyone, config }),
    ]);
    await preparing;
    expect([...result.survivors]).toEqual(expected(0));
    expect(facts.members).toEqual([
      { iin: sampled[0], blacklists: [LIST], products: ['a'] },
      { iin: sampled[1], blacklists: [LIST], products: ['b'] },
      { iin: sampled[2], blacklists: [], products: ['b'] },
    ]);
    // Each cache file read once: the index, then each dataset's vectors.
    expect(events.filter((e) => e.event !== 'vectors_read')).toEqual([
      { dataset: 'merged-index', event: 'hit' },
    ]);
    expect(
      events
        .filter((e) => e.event === 'vectors_read')
        .map((e) => e.dataset)
        .sort(),
    ).toEqual([LIST, 'products'].sort());
    expect((await store.describeDatasets()).map((d) => d.vectors)).toEqual(['in_memory', 'in_memory']);
  });

  it('a cache file that goes bad after the index was adopted is decoded instead, same answers', async () => {
    await setUp();
    await new DatasetStore(dir, { mergedIndex: true }).prepareAll();
    const run = await restart({ mergedIndex: true });
    const cacheFile = await blacklistCacheFile();
    const original = await readFile(cacheFile);
    const flipped = Buffer.from(original);
    flipped[original.byteLength - 100]! ^= 1; // in the IIN section, after the header the restart checked
    await writeFile(cacheFile, flipped);
    const list = (await run.store.load(LIST))!;
    expect(misses(run.events)).toEqual({ [LIST]: 'corrupt' });
    if (list.status !== 'ok') throw new Error('blacklist not loaded');
    expect([...list.iins]).toEqual([...everyone.subarray(0, 500)].sort((a, b) => a - b));
    expect(await readFile(cacheFile)).toEqual(original); // rewritten from the decode
    // The index still covers the (refilled) vectors: filters keep using it, with the same answer.
    expect(run.store.pipelineCache.cachedIndex([list.iins])).toBeDefined();
    const again = await runAudience(run.store, { iins: everyone, config });
    expect([...again.survivors]).toEqual(expected(0));
  });

  it("the index is refused when one file changed since it was made, even with that file's cache current", async () => {
    await setUp();
    await new DatasetStore(dir, { mergedIndex: true }).prepareAll();
    await writeBlacklist(2_000);
    await restart(); // without the index: the blacklist's cache file is rewritten, the index is not
    const run = await restart({ mergedIndex: true });
    expect(misses(run.events)).toEqual({ 'merged-index': 'stale' });
    expect(hits(run.events).sort()).toEqual([LIST, 'products'].sort()); // the vectors read as before
    expect(run.survivors).toEqual(expected(2_000));
  });

  it('reads a file again when it was replaced while being read (the first read is not trusted)', async () => {
    await setUp();
    let replaced = false;
    const events: PreparedCacheEvent[] = [];
    const store = new DatasetStore(dir, {
      onCacheEvent: (event) => {
        events.push(event);
        // The moment before the blacklist is decoded, another process puts a new version in place.
        if (!replaced && event.event === 'decoding' && event.dataset === LIST) {
          replaced = true;
          const table = new Table({ iin: int64IinColumn(everyone.subarray(3_000, 3_500)) });
          writeFileSync(path.join(dir, 'bl.parquet'), writeParquetTable(table));
        }
      },
    });
    const result = await runAudience(store, { iins: everyone, config });
    expect(events).toContainEqual({ dataset: LIST, event: 'changed_while_read', attempt: 1 });
    expect([...result.survivors]).toEqual(expected(3_000));
    expect(result.warnings).toEqual([]);
  });
});
