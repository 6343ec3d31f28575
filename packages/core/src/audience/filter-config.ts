// The filter configuration: the seed's `filter_config` names, plus our contact pressure step.
import { z } from 'zod';

const names = (what: string) =>
  z
    .array(z.string().trim().min(1, `${what} names cannot be empty`))
    .default([])
    .transform((list) => [...new Set(list)]);

export const filterConfigSchema = z.object({
  /** Remove IINs found in ANY of these blacklist datasets (by registry name). */
  blacklist_tables: names('Blacklist'),
  /**
   * Ours: why a registered blacklist is left out (registry name -> the marketer's reason). Every registered
   * blacklist is applied by default; one left out is recorded here and an approver must acknowledge it.
   */
  blacklist_omissions: z
    .record(
      z.string().trim().min(1).max(200),
      z.string().trim().min(1, 'Say why this blacklist is left out').max(500).nullable(),
    )
    .default({}),
  /** Keep IINs whose device is in the list (e.g. "android", "iOS"; matched ignoring case). */
  devices: names('Device'),
  /** Keep IINs with push enabled for ANY of these streams. */
  push_streams: names('Push stream'),
  /** Keep monthly-active IINs only. */
  mau_only: z.boolean().default(false),
  /** Keep IINs holding ANY of these products. */
  products: names('Product'),
  /** Remove IINs already reserved by campaigns whose window overlaps (rows of the off-limit table). Ours. */
  contact_pressure: z.boolean().default(false),
});

/** A parsed config (defaults filled in). */
export type FilterConfig = z.output<typeof filterConfigSchema>;
/** What callers may send (every key optional). */
export type FilterConfigInput = z.input<typeof filterConfigSchema>;
