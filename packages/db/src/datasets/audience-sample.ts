// The audience sample's facts (docs/ARCHITECTURE.md "Audience sample"): for a few IINs of a saved audience,
// what each filter step of the campaign read about them, looked up in the same datasets the filter ran on
// (DatasetStore.datasetsFor, as runAudience loads them). The API masks the IINs and adds contact pressure and
// the control split, which live outside the datasets.
import {
  type FilterConfig,
  type FilterConfigInput,
  filterConfigSchema,
  type LoadedDataset,
  type PipelineDatasets,
  positionOf,
} from '@campaigns/core';
import type { DatasetStore } from './dataset-store';

export interface SampleFactsRequest {
  /** The sampled IINs (a few: the lookup is a binary search per IIN and dataset). */
  iins: Float64Array;
  config: FilterConfigInput;
}

/** The dataset a step read: usable, or skipped with the reason (then its facts are unknown). */
export interface SampleDatasetUse {
  name: string;
  status: 'ok' | 'skipped';
  reason?: string;
}

/** What the applied steps read about one IIN; a step not applied, or whose dataset was skipped, says nothing. */
export interface SampleMemberFacts {
  iin: number;
  /** Applied (usable) blacklists listing this IIN: none, for a member of a final audience. */
  blacklists: string[];
  /** Devices the IIN holds in the device dataset. */
  devices?: string[];
  /** Streams the IIN has push enabled for. */
  push_streams?: string[];
  /** Whether the IIN is in the monthly-active dataset. */
  mau?: boolean;
  /** Products the IIN holds. */
  products?: string[];
}

export interface AudienceSampleFacts {
  datasets: {
    blacklists: SampleDatasetUse[];
    devices?: SampleDatasetUse;
    push?: SampleDatasetUse;
    mau?: SampleDatasetUse;
    products?: SampleDatasetUse;
  };
  /** In the order of the request's IINs. */
  members: SampleMemberFacts[];
}

/** Loads what the config's steps read (cached as for a filter run) and looks the IINs up in it. */
export async function lookupSampleFacts(
  store: Pick<DatasetStore, 'datasetsFor'>,
  request: SampleFactsRequest,
): Promise<AudienceSampleFacts> {
  const config = filterConfigSchema.parse(request.config);
  return sampleFactsOf(request.iins, await store.datasetsFor(config), config);
}

/** The facts of `iins` in loaded datasets; pure. */
export function sampleFactsOf(
  iins: Float64Array,
  datasets: PipelineDatasets,
  config: FilterConfig,
): AudienceSampleFacts {
  const blacklists = config.blacklist_tables.map((name) => ({
    use: useOf(datasets.blacklists?.[name], name),
    dataset: datasets.blacklists?.[name],
  }));
  const steps = {
    devices: config.devices.length > 0 ? datasets.devices : null,
    push: config.push_streams.length > 0 ? datasets.push : null,
    mau: config.mau_only ? datasets.mau : null,
    products: config.products.length > 0 ? datasets.products : null,
  };
  const described: AudienceSampleFacts['datasets'] = { blacklists: blacklists.map((b) => b.use) };
  for (const step of ['devices', 'push', 'mau', 'products'] as const) {
    if (steps[step] !== null) described[step] = useOf(steps[step], step);
  }
  const members = Array.from(iins, (iin): SampleMemberFacts => {
    const facts: SampleMemberFacts = {
      iin,
      blacklists: blacklists.flatMap(({ use, dataset }) =>
        dataset?.status === 'ok' && positionOf(dataset.iins, iin) >= 0 ? [use.name] : [],
      ),
    };
    const devices = valuesOf(steps.devices, iin);
    if (devices) facts.devices = devices;
    const push = valuesOf(steps.push, iin);
    if (push) facts.push_streams = push;
    if (steps.mau?.status === 'ok') facts.mau = positionOf(steps.mau.iins, iin) >= 0;
    const products = valuesOf(steps.products, iin);
    if (products) facts.products = products;
    return facts;
  });
  return { datasets: described, members };
}

function useOf(dataset: LoadedDataset | null | undefined, fallbackName: string): SampleDatasetUse {
  if (!dataset) return { name: fallbackName, status: 'skipped', reason: 'not registered' };
  if (dataset.status === 'skipped') return { name: dataset.name, status: 'skipped', reason: dataset.reason };
  return { name: dataset.name, status: 'ok' };
}

/** The value labels an IIN holds in a value dataset (registry order); undefined when the dataset is not usable. */
function valuesOf(dataset: LoadedDataset | null | undefined, iin: number): string[] | undefined {
  if (dataset?.status !== 'ok' || !dataset.values) return undefined;
  const row = positionOf(dataset.iins, iin);
  if (row < 0) return [];
  const { labels, masks, words } = dataset.values;
  return labels.filter((_, code) => ((masks[row * words + (code >>> 5)]! >>> (code & 31)) & 1) === 1);
}
