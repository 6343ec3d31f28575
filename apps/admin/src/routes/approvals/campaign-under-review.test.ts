import { describe, expect, it } from 'vitest';
import type { CampaignDetails } from '$lib/api/client';
import { CampaignUnderReview } from './campaign-under-review.svelte';

/** A fetch whose answers (or refusals) the test releases one by one, in any order; a code may be asked again. */
function heldAnswers() {
  const waiting = new Map<string, { resolve: () => void; reject: (error: Error) => void }>();
  const fetch = (code: string) =>
    new Promise<CampaignDetails>((resolve, reject) => {
      waiting.set(code, { resolve: () => resolve({ campaign_code: code } as CampaignDetails), reject });
    });
  const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
  const answer = async (code: string) => {
    waiting.get(code)?.resolve();
    await settled();
  };
  const fail = async (code: string, error: Error) => {
    waiting.get(code)?.reject(error);
    await settled();
  };
  return { fetch, answer, fail };
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

  it('is not the previous campaign while the one clicked is on its way', async () => {
    const { fetch, answer } = heldAnswers();
    const review = new CampaignUnderReview(fetch);
    void review.open('C000000001');
    await answer('C000000001');
    void review.open('C000000002');
    // Nothing to sign meanwhile: A's Approve button must not stand beside B's row.
    expect(review.campaign).toBeNull();
    expect(review.state).toEqual({ state: 'loading', code: 'C000000002' });
  });

  it('is none when the one clicked fails to load: the failure names it with the reason, and retry loads it', async () => {
    const { fetch, answer, fail } = heldAnswers();
    const review = new CampaignUnderReview(fetch);
    void review.open('C000000001');
    await answer('C000000001');
    void review.open('C000000002');
    await fail('C000000002', new Error('campaign store timed out'));
    expect(review.campaign).toBeNull();
    expect(review.state).toEqual({
      state: 'failed',
      code: 'C000000002',
      reasons: ['campaign store timed out'],
    });
    void review.retry();
    expect(review.state).toEqual({ state: 'loading', code: 'C000000002' });
    await answer('C000000002');
    expect(review.campaign?.campaign_code).toBe('C000000002');
  });

  it('keeps the campaign clicked last when an older click fails after it loaded', async () => {
    const { fetch, answer, fail } = heldAnswers();
    const review = new CampaignUnderReview(fetch);
    void review.open('C000000001');
    void review.open('C000000002');
    await answer('C000000002');
    await fail('C000000001', new Error('gone'));
    expect(review.campaign?.campaign_code).toBe('C000000002');
    expect(review.state.state).toBe('shown');
  });

  it('is none after close, whatever answer was still on its way', async () => {
    const { fetch, answer } = heldAnswers();
    const review = new CampaignUnderReview(fetch);
    void review.open('C000000001');
    void review.close();
    await answer('C000000001');
    expect(review.campaign).toBeNull();
    expect(review.state).toEqual({ state: 'none' });
  });
});
