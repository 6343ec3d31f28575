// A decoded dataset or a merged index as a prepared-cache record (prepared-cache.ts) and back. The typed arrays go
// to disk as they are; the record's meta holds the counts and labels.
import {
  type ClientIndex,
  type ClientIndexSlot,
  type DecodedDataset,
  iinsFromBuckets,
  type LoadedDataset,
} from '@campaigns/core';
import type { PreparedRecord } from './prepared-cache';

interface DatasetMeta {
  rows: number;
  invalidRows: number;
  values?: { labels: string[]; words: number; counts: number[] };
}

export function preparedRecordOf(dataset: DecodedDataset): PreparedRecord {
  const meta: DatasetMeta = { rows: dataset.rows, invalidRows: dataset.invalidRows };
  const sections: PreparedRecord['sections'] = { iins: dataset.iins };
  if (dataset.values) {
    const { labels, words, counts, masks } = dataset.values;
    meta.values = { labels, words, counts };
    sections.masks = masks;
  }
  return { meta: { ...meta }, sections };
}

export function preparedDataset(name: string, record: PreparedRecord): LoadedDataset {
  const meta = record.meta as unknown as DatasetMeta;
  const iins = record.sections.iins as Float64Array;
  const masks = record.sections.masks as Uint32Array | undefined;
  const values = meta.values && masks ? { ...meta.values, masks } : undefined;
  return {
    name,
    status: 'ok',
    iins,
    ...(values ? { values } : {}),
    rows: meta.rows,
    invalidRows: meta.invalidRows,
    bytes: iins.byteLength + (masks?.byteLength ?? 0),
  };
}

interface IndexMeta {
  words: number;
  /** Each slot by the registry name of the dataset whose vector it is. */
  slots: Array<{ dataset: string; bit: number; width: number }>;
}

/** The index as a record; `nameOf` names the dataset of each slot's vector. */
export function preparedRecordOfIndex(index: ClientIndex, nameOf: Map<Float64Array, string>): PreparedRecord {
  const slots: IndexMeta['slots'] = [];
  for (const [vector, slot] of index.slots) {
    const dataset = nameOf.get(vector);
    if (dataset === undefined) throw new Error('the merged index holds a vector of no loaded dataset');
    slots.push({ dataset, bit: slot.bit, width: slot.width });
  }
  // With buckets the IINs are their low bits plus the bucket: not written (a restart's pass reads only the lows
  // and masks; the IINs are rebuilt if something asks for them).
  const sections: PreparedRecord['sections'] =
    index.lows && index.bucketStarts
      ? { lows: index.lows, bucketStarts: index.bucketStarts, masks: index.masks }
      : { iins: index.iins, masks: index.masks };
  return {
    meta: { words: index.words, slots } satisfies IndexMeta as unknown as Record<string, unknown>,
    sections,
  };
}

/** The index over the given datasets' own vectors, or undefined when one of its datasets is not among them. */
export function preparedIndex(
  record: PreparedRecord,
  byName: Map<string, LoadedDataset>,
): ClientIndex | undefined {
  const meta = record.meta as unknown as IndexMeta;
  const slots = new Map<Float64Array, ClientIndexSlot>();
  for (const slot of meta.slots) {
    const dataset = byName.get(slot.dataset);
    if (dataset?.status !== 'ok') return undefined;
    slots.set(dataset.iins, { bit: slot.bit, width: slot.width, values: dataset.values });
  }
  const { sections } = record;
  const masks = sections.masks;
  const lows = sections.lows instanceof Uint32Array ? sections.lows : undefined;
  const bucketStarts = sections.bucketStarts instanceof Uint32Array ? sections.bucketStarts : undefined;
  if (!(masks instanceof Uint32Array)) return undefined;
  let iins = sections.iins instanceof Float64Array ? sections.iins : undefined;
  if (!iins && !(lows && bucketStarts)) return undefined;
  const words = meta.words;
  const bytes = masks.byteLength + (lows?.byteLength ?? 0) + (iins?.byteLength ?? (8 * masks.length) / words);
  return {
    get iins() {
      iins ??= iinsFromBuckets(lows!, bucketStarts!);
      return iins;
    },
    words,
    masks,
    slots,
    lows,
    bucketStarts,
    bytes,
  };
}
