import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatIin, isValidIin, readParquetTable } from '@campaigns/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetStore, ensureDemoData, generateDemoData, runAudience, SEED_BLACKLISTS } from '../index';

const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'demo-data-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('generateDemoData', () => {
  it('writes the same bytes for the same seed, with valid IINs and realistic shares', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    const summary = await generateDemoData({ dataDir: a, clients: 20_000, seed: 7 });
    await generateDemoData({ dataDir: b, clients: 20_000, seed: 7 });
    for (const file of Object.keys(summary.files)) {
      expect(Buffer.compare(await readFile(path.join(a, file)), await readFile(path.join(b, file)))).toBe(0);
    }
    const clients = readParquetTable(await readFile(path.join(a, 'clients.parquet')))
      .getChild('iin')!
      .toArray();
    expect(clients.length).toBe(20_000);
    expect(new Set(clients).size).toBe(20_000);
    expect([...clients].every((iin) => isValidIin(formatIin(Number(iin))))).toBe(true);

    expect(await ensureDemoData({ dataDir: a, clients: 10 })).toBeUndefined(); // data there: left alone
    const store = new DatasetStore(a);
    const described = Object.fromEntries((await store.describeDatasets()).map((d) => [d.name, d]));
    expect(Object.keys(described).sort()).toEqual(
      [...SEED_BLACKLISTS, 'clients', 'devices', 'mau', 'products', 'push_preferences'].sort(),
    );
    const everyone = Float64Array.from(clients, Number);
    const result = await runAudience(store, {
      iins: everyone,
      config: {
        blacklist_tables: [...SEED_BLACKLISTS],
        devices: ['android', 'iOS'],
        push_streams: ['Переводы', 'Маркет'],
        mau_only: true,
        products: ['Кредитная карта', 'Депозит'],
      },
    });
    const share = (key: string) => (result.stats[key] as number) / 20_000;
    expect(share('blacklist_removed')).toBeGreaterThan(0.04); // three overlapping lists of a few percent each
    expect(share('blacklist_removed')).toBeLessThan(0.1);
    expect(result.warnings).toEqual([]);
    expect(result.stats.final_count).toBeGreaterThan(0);
    // Every filter dataset was read; the client list is a source, not a filter.
    for (const d of await store.describeDatasets())
      expect(d.status).toBe(d.kind === 'client' ? 'not_loaded' : 'loaded');
    const devices = (await store.describeDatasets()).find((d) => d.name === 'devices')!;
    const withDevice = Object.values(devices.values!).reduce((x, y) => x + y, 0) / 20_000;
    expect(withDevice).toBeGreaterThan(0.87);
    expect(withDevice).toBeLessThan(0.93);
  });

  it('writes the export layout (unordered, text IINs, upper-case names, repeats) holding the same sets', async () => {
    const [sorted, exported] = [await tempDir(), await tempDir()];
    await generateDemoData({ dataDir: sorted, clients: 20_000, seed: 11 });
    await generateDemoData({ dataDir: exported, clients: 20_000, seed: 11, layout: 'export' });
    const registry = JSON.parse(await readFile(path.join(exported, 'datasets.json'), 'utf8'));
    expect(registry.devices).toMatchObject({ iin_column: 'IIN', value_column: 'DEVICE' });
    const products = readParquetTable(await readFile(path.join(exported, 'products.parquet')));
    expect(products.schema.fields.map((f) => f.name)).toEqual(['IIN', 'PRODUCT']);
    const texts = products.getChild('IIN')!.toArray() as string[];
    expect(texts.every((t) => /^\d{12}$/.test(t))).toBe(true);
    const numbers = texts.map(Number);
    expect(numbers.some((v, i) => i > 0 && v < numbers[i - 1]!)).toBe(true); // no IIN order
    const pairs = Array.from(texts, (t, i) => `${t}|${products.getChild('PRODUCT')!.get(i)}`);
    expect(new Set(pairs).size).toBeLessThan(pairs.length); // repeated rows

    const input = readParquetTable(await readFile(path.join(sorted, 'clients.parquet'))).getChild('iin')!;
    const iins = Float64Array.from(input.toArray() as BigInt64Array, Number).subarray(0, 10_000);
    const config = {
      blacklist_tables: [...SEED_BLACKLISTS],
      devices: ['android'],
      push_streams: ['Платежи'],
      mau_only: true,
      products: ['Депозит', 'Ипотека'],
    };
    const a = await runAudience(new DatasetStore(sorted), { iins, config });
    const b = await runAudience(new DatasetStore(exported), { iins, config });
    expect(b.stats).toEqual(a.stats);
    expect(b.survivors).toEqual(a.survivors);
    expect(b.warnings).toEqual([]);
  });
});
