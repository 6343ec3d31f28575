// Product-based selection (seed: "Data Loading ... Product-based selection"): an audience of everyone holding ANY
// of the listed products, straight from the product dataset.

import { vectorsForValues } from './filter-pipeline';
import { type IinVector, unionAll } from './iin-vector';

export interface ProductSelection {
  iins: IinVector;
  /** Holders per requested product (0 for products absent from the dataset). */
  holders: Record<string, number>;
  /** Requested products that do not occur in the dataset. */
  unknown: string[];
}

export function selectByProducts(
  byProduct: ReadonlyMap<string, IinVector>,
  products: readonly string[],
): ProductSelection {
  const holders: Record<string, number> = {};
  const all: IinVector[] = [];
  const unknown: string[] = [];
  for (const product of new Set(products)) {
    const { vectors, unknown: missing } = vectorsForValues(byProduct, [product]);
    const held = unionAll(vectors);
    holders[product] = held.length;
    all.push(held);
    unknown.push(...missing);
  }
  return { iins: unionAll(all), holders, unknown };
}
