// The dataset registry: `datasets.json` in DATA_DIR names each dataset, its parquet file, its IIN column and,
// for devices, push streams and products, its value column; optionally a label per UI language.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** Kinds the filter pipeline uses (one step each). */
export const FILTER_DATASET_KINDS = ['blacklist', 'device', 'push', 'mau', 'product'] as const;
/** Plus `client`: the whole client base, an audience source ("all clients"), never a filter. */
export const DATASET_KINDS = [...FILTER_DATASET_KINDS, 'client'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

const labelText = z.string().trim().min(1).max(200);

/** Kinds whose rows are (IIN, value) pairs and need a value column. */
const VALUE_KINDS: readonly DatasetKind[] = ['device', 'push', 'product'];

export const registryEntrySchema = z
  .object({
    /** Parquet file, relative to DATA_DIR (or absolute). */
    file: z.string().min(1),
    iin_column: z.string().min(1),
    value_column: z.string().min(1).optional(),
    kind: z.enum(DATASET_KINDS),
    description: z.string().optional(),
    /** The dataset's name for people, in every UI language (the registry name stays its technical name). */
    label: z.object({ en: labelText, ru: labelText, kk: labelText }).strict().optional(),
  })
  .refine((e) => !VALUE_KINDS.includes(e.kind) || e.value_column !== undefined, {
    message: 'device, push and product datasets need a value_column',
    path: ['value_column'],
  });

export const registrySchema = z.record(z.string().min(1), registryEntrySchema);

export type RegistryEntry = z.output<typeof registryEntrySchema>;
export type DatasetLabel = NonNullable<RegistryEntry['label']>;
export type DatasetRegistry = Record<string, RegistryEntry>;

export const REGISTRY_FILE = 'datasets.json';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

/** Reads and validates DATA_DIR/datasets.json. A missing registry is an empty one (no datasets yet). */
export async function readRegistry(dataDir: string): Promise<{ registry: DatasetRegistry; version: string }> {
  const file = path.join(dataDir, REGISTRY_FILE);
  let text: string;
  let version: string;
  try {
    const info = await stat(file);
    version = `${info.mtimeMs}:${info.size}`;
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { registry: {}, version: 'none' };
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RegistryError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = registrySchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new RegistryError(`${file} is not a valid dataset registry: ${issues}`);
  }
  return { registry: parsed.data, version };
}

/** The absolute path of an entry's file. */
export function datasetPath(dataDir: string, entry: RegistryEntry): string {
  return path.resolve(dataDir, entry.file);
}
