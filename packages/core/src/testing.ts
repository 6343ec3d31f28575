// Test support shared by the packages' tests (`@campaigns/core/testing`; no production code imports it): the
// filter pipeline's naive reference, against which property tests check the engine on any layout, loaded
// datasets built straight from rows, and the seed's example campaign.
import type { FilterConfigInput } from './audience/filter-config';
import type { LoadedDataset } from './audience/filter-pipeline';
import { sortUnique } from './audience/iin-vector';
import { buildValueIndex } from './audience/value-index-build';

/** The reference: Sets and the seed's rules, step by step, written as plainly as possible. */
export function naivePipeline(
  input: number[],
  data: NaiveData,
  config: Required<Omit<FilterConfigInput, 'blacklist_omissions'>>, // reasons do not filter
  offLimit: number[],
) {
  let current = new Set(input);
  const stats: Record<string, number> = { initial_count: current.size };
  const apply = (step: string, keep: (x: number) => boolean) => {
    const next = new Set([...current].filter(keep));
    stats[`after_${step}`] = next.size;
    stats[`${step}_removed`] = current.size - next.size;
    current = next;
  };
  const available = config.blacklist_tables.filter((name) => data.blacklists[name] !== undefined);
  if (available.length > 0)
    apply('blacklist', (x) => !available.some((name) => data.blacklists[name]!.includes(x)));
  const holders = (rows: Array<[number, string]> | undefined, wanted: string[], step: string) => {
    if (wanted.length === 0 || rows === undefined) return;
    const lower = wanted.map((w) => w.toLowerCase());
    apply(step, (x) => rows.some(([i, v]) => i === x && lower.includes(v.toLowerCase())));
  };
  holders(data.devices, config.devices, 'device');
  holders(data.push, config.push_streams, 'push');
  if (config.mau_only && data.mau !== undefined) apply('mau', (x) => data.mau!.includes(x));
  holders(data.products, config.products, 'product');
  if (config.contact_pressure) apply('contact_pressure', (x) => !offLimit.includes(x));
  stats.final_count = current.size;
  stats.total_removed = stats.initial_count! - current.size;
  return { survivors: [...current].sort((a, b) => a - b), stats };
}

export interface NaiveData {
  blacklists: Record<string, number[] | undefined>;
  devices: Array<[number, string]> | undefined;
  push: Array<[number, string]> | undefined;
  mau: number[] | undefined;
  products: Array<[number, string]> | undefined;
}

/**
 * The metadata of the seed's POST /campaigns/create example, as sent (camp_cnt a string). Written once for
 * every package's tests; examples/ keeps its own copy because an example must stand alone.
 */
export const seedExampleMetadata = {
  campaign_name: 'Spring Marketing Campaign',
  campaign_desc: 'Promote spring products',
  stream: 'market',
  sub_stream: 'seasonal',
  target_action: 'purchase',
  channel: 'Push',
  campaign_type: 'promotion',
  campaign_text: 'Check out our spring collection!',
  campaign_text_kz: 'Көктемгі коллекциямызды қараңыз!',
  short_desc: 'Spring promo',
  date_start: '2024-03-01',
  date_end: '2024-03-31',
  out_date: '2024-03-02',
  camp_cnt: '50000',
};

/** A loaded set dataset (blacklist, MAU) of these IINs (any order, repeats allowed). */
export function setDataset(name: string, rows: number[]): LoadedDataset {
  const iins = sortUnique(rows);
  return { name, status: 'ok', iins, rows: rows.length, invalidRows: 0, bytes: iins.byteLength };
}

/** A loaded value dataset of (IIN, value) rows; its labels are the values held unless given. */
export function valueDataset(
  name: string,
  rows: Array<[number, string]>,
  labels: string[] = [...new Set(rows.map(([, v]) => v))],
): LoadedDataset {
  const { iins, index } = buildValueIndex(
    Float64Array.from(rows, ([x]) => x),
    Int32Array.from(rows, ([, v]) => labels.indexOf(v)),
    labels,
  );
  return { name, status: 'ok', iins, values: index, rows: rows.length, invalidRows: 0, bytes: 0 };
}

/** A dataset the store could not use (its file is missing). */
export const skippedDataset = (name: string): LoadedDataset => ({
  name,
  status: 'skipped',
  code: 'DATASET.FILE_MISSING',
  reason: 'file missing',
});
