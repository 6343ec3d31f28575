// Product-based selection (seed: "Data Loading ... Product-based selection"): an audience of everyone holding ANY
// of the listed products, straight from the product dataset.
import type { IinVector } from './iin-vector';
import { holdersOf, type IndexedValues, maskForValues } from './value-index';

export interface ProductSelection {
  iins: IinVector;
  /** Holders per requested product (0 for products absent from the dataset). */
  holders: Record<string, number>;
  /** Requested products that do not occur in the dataset. */
  unknown: string[];
}

export function selectByProducts(products: IndexedValues, wanted: readonly string[]): ProductSelection {
  const holders: Record<string, number> = {};
  for (const product of new Set(wanted)) {
    holders[product] = holdersOf(products, maskForValues(products.index, [product]).mask).length;
  }
  const { mask, unknown } = maskForValues(products.index, wanted);
  return { iins: holdersOf(products, mask), holders, unknown };
}
