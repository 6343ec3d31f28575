import type { CampaignDetails } from '$lib/api/client';
import { errorData, handleError, refusalLines } from '$lib/api/errors';

/** Where the campaign the approver clicked stands; only `shown` has a campaign to sign. */
export type ReviewState =
  | { state: 'none' }
  | { state: 'loading'; code: string }
  | { state: 'shown'; campaign: CampaignDetails }
  /** `reasons`: what the server or the network said, in the UI language (refusalLines). */
  | { state: 'failed'; code: string; reasons: string[] };

/**
 * The campaign the approver has open beside the Approve button: always the one clicked last, or nothing. Two
 * campaigns clicked fast load at once and only the answer for the last click counts; while it is on its way, or
 * when it failed, no campaign is shown (the previous one's buttons would sign a campaign other than the one
 * clicked), and a failure names the campaign and why, for a retry.
 */
export class CampaignUnderReview {
  #state = $state.raw<ReviewState>({ state: 'none' });
  /** Counts clicks: an answer for an earlier one is dropped. */
  #clicks = 0;

  constructor(private readonly fetch: (code: string) => Promise<CampaignDetails>) {}

  get state(): ReviewState {
    return this.#state;
  }

  /** The campaign to sign: the one clicked last, once its answer came; null otherwise. */
  get campaign(): CampaignDetails | null {
    return this.#state.state === 'shown' ? this.#state.campaign : null;
  }

  /** The code clicked last (shown, on its way or failed); null when none is open. */
  get code(): string | null {
    const now = this.#state;
    return now.state === 'none' ? null : now.state === 'shown' ? now.campaign.campaign_code : now.code;
  }

  /** Opens this campaign; resolves true when its answer is the one shown. */
  async open(code: string): Promise<boolean> {
    const click = ++this.#clicks;
    this.#state = { state: 'loading', code };
    try {
      const campaign = await this.fetch(code);
      if (click !== this.#clicks) return false;
      this.#state = { state: 'shown', campaign };
      return true;
    } catch (error) {
      if (click !== this.#clicks) return false;
      this.#state = { state: 'failed', code, reasons: refusalLines(error) };
      // An ended session still goes to sign-in (handleError's one way there).
      if (errorData(error)?.code === 'UNAUTHORIZED') handleError(error, '');
      return false;
    }
  }

  /** Loads the failed campaign again. */
  retry(): Promise<boolean> {
    const now = this.#state;
    return now.state === 'failed' ? this.open(now.code) : Promise.resolve(false);
  }

  /** Closes the open campaign (decided), and drops any answer still on its way. */
  close(): void {
    this.#clicks++;
    this.#state = { state: 'none' };
  }
}
