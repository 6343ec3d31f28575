import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AudienceWorker, DatasetStore, generateDemoData, REGISTRY_FILE, readRegistry } from '../index';

const dirs: string[] = [];
async function tempDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'registry-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function registryWith(entries: unknown) {
  const dir = await tempDir();
  await writeFile(path.join(dir, REGISTRY_FILE), JSON.stringify(entries));
  return dir;
}

describe('dataset registry labels', () => {
  it('names a dataset for people in every UI language, beside its technical name', async () => {
    const dir = await registryWith({
      BL_No_worker: {
        file: 'bl.parquet',
        iin_column: 'IIN',
        kind: 'blacklist',
        label: { en: 'Bank employees', ru: 'Сотрудники банка', kk: 'Банк қызметкерлері' },
      },
    });
    const { registry } = await readRegistry(dir);
    expect(registry.BL_No_worker?.label).toEqual({
      en: 'Bank employees',
      ru: 'Сотрудники банка',
      kk: 'Банк қызметкерлері',
    });
    const [described] = await new DatasetStore(dir, { cacheDir: null }).describeDatasets();
    expect(described).toMatchObject({ name: 'BL_No_worker', label: { kk: 'Банк қызметкерлері' } });
  });

  it('refuses a label missing a language, naming the dataset and the language', async () => {
    const dir = await registryWith({
      BL: {
        file: 'bl.parquet',
        iin_column: 'IIN',
        kind: 'blacklist',
        label: { en: 'Staff', ru: 'Сотрудники' },
      },
    });
    await expect(readRegistry(dir)).rejects.toThrow(/BL\.label\.kk/);
  });

  it('the demo registry labels every dataset and registers the client list as the "all clients" source', async () => {
    const dir = await tempDir();
    await generateDemoData({ dataDir: dir, clients: 2_000, seed: 3 });
    const { registry } = await readRegistry(dir);
    for (const [name, entry] of Object.entries(registry)) {
      for (const lang of ['en', 'ru', 'kk'] as const)
        expect(entry.label?.[lang], `${name} in ${lang}`).toBeTruthy();
    }
    expect(registry.clients).toMatchObject({ kind: 'client', file: 'clients.parquet' });
    const clients = await new DatasetStore(dir, { cacheDir: null }).clientIins();
    expect(clients.length).toBe(2_000);
    expect(clients.every((iin, i) => i === 0 || iin > clients[i - 1]!)).toBe(true);
    // The worker starts an "all clients" run from the list it holds, and hands a copy out only when asked: twice
    // in a row the whole list, the second run reading the same cached list.
    const worker = new AudienceWorker(dir);
    const noFilters = { blacklist_tables: [], devices: [], push_streams: [], products: [], mau_only: false };
    try {
      const first = await worker.run({ allClients: true, config: noFilters, returnInput: true });
      expect(first.stats.initial_count).toBe(2_000);
      expect([...first.input!]).toEqual([...clients]);
      const second = await worker.run({ allClients: true, config: noFilters });
      expect(second.stats.final_count).toBe(2_000);
      expect(second.input).toBeUndefined();
    } finally {
      await worker.close();
    }
  });

  it('says so when no client list is registered', async () => {
    const dir = await registryWith({ BL: { file: 'bl.parquet', iin_column: 'IIN', kind: 'blacklist' } });
    await expect(new DatasetStore(dir, { cacheDir: null }).clientIins()).rejects.toThrow(
      /no client dataset is registered/,
    );
  });
});
