import { describe, expect, it } from 'vitest';
import type { CampaignDetails } from '$lib/api/client';
import { CampaignUnderReview } from './campaign-under-review.svelte';

/** A fetch whose answers the test releases one by one, in any order. */
function heldAnswers() {
  const waiting = new Map<string, () => void>();
  const fetch = (code: string) =>
    new Promise<CampaignDetails>((resolve) => {
      waiting.set(code, () => resolve({ campaign_code: code } as CampaignDetails));
    });
  const answer = async (code: string) => {
    waiting.get(code)?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { fetch, answer };
}

describe('the campaign the approver has open', () => {
  it('is the one clicked last when two are clicked fast and the first answer arrives last', async () => {
    const { fetch, answer } = heldAnswers();
    const review = new CampaignUnderReview(fetch);
    void review.open('C000000001');
    void review.open('C000000002');
    await answer('C000000002');
    expect(review.campaign?.campaign_code).toBe('C000000002');
    await answer('C000000001');
    expect(review.campaign?.campaign_code).toBe('C000000002');
  });

  it('shows each campaign in turn when the answers come in order', async () => {
    const { fetch, answer } = heldAnswers();
    const review = new CampaignUnderReview(fetch);
    void review.open('C000000001');
    await answer('C000000001');
    expect(review.campaign?.campaign_code).toBe('C000000001');
    void review.open('C000000002');
    await answer('C000000002');
    expect(review.campaign?.campaign_code).toBe('C000000002');
  });
});
