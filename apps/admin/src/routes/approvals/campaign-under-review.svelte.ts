import type { CampaignDetails } from '$lib/api/client';
import { Loaded } from '$lib/api/loaded.svelte';

/**
 * The campaign the approver has open beside the Approve button. Two campaigns clicked fast load at once; only the
 * answer for the one clicked last is shown (Loaded keeps the latest load), so an older answer arriving late never
 * puts another campaign's sheet under the approver's signature.
 */
export class CampaignUnderReview {
  #code: string | null = null;
  readonly #loaded: Loaded<CampaignDetails | null>;

  constructor(fetch: (code: string) => Promise<CampaignDetails>) {
    this.#loaded = new Loaded(() => (this.#code === null ? Promise.resolve(null) : fetch(this.#code)), null);
  }

  /** What is shown: the last campaign opened, once its answer came; null when none is open. */
  get campaign(): CampaignDetails | null {
    return this.#loaded.value;
  }

  /** Opens this campaign; resolves true when its answer is the one shown. */
  open(code: string): Promise<boolean> {
    this.#code = code;
    return this.#loaded.load();
  }

  /** Closes the open campaign (decided), and any still on its way. */
  close(): Promise<boolean> {
    this.#code = null;
    return this.#loaded.load();
  }
}
