// Idempotency keys as Stripe defines them: the first request with a key claims it (with its body's fingerprint)
// before doing any work; a repeat with the same body waits for the first one's campaign and answers as it did; a
// repeat with another body is refused (422). Repeats never reach the work, so ten at once reserve one code.
import type { Campaign, Store } from '@campaigns/db';
import { ApiError } from '../errors';

/** How long a repeat waits for the first request to make its campaign. */
const CLAIM_WAIT_MS = 30_000;

export async function runOnce<T>(
  store: Store,
  claim: { authorId: string; key: string; fingerprint: string },
  work: () => Promise<T & { campaign: Campaign }>,
  replay: (campaign: Campaign) => Promise<T>,
): Promise<T> {
  const { authorId, key, fingerprint } = claim;
  const claims = store.idempotencyKeys;
  const until = performance.now() + CLAIM_WAIT_MS;
  for (;;) {
    if (await claims.claim(authorId, key, fingerprint)) {
      try {
        const outcome = await work();
        await claims.complete(authorId, key, outcome.campaign.id);
        return outcome;
      } catch (error) {
        await claims.release(authorId, key);
        throw error;
      }
    }
    const held = await claims.find(authorId, key);
    if (held && held.fingerprint !== fingerprint) {
      throw new ApiError(
        'IDEMPOTENCY.KEY_REUSED',
        'This Idempotency-Key was used for a request with a different body; use a new key for a new request.',
      );
    }
    if (held?.campaignId) {
      const campaign = await store.campaigns.findById(held.campaignId);
      if (campaign) return replay(campaign);
    }
    if (performance.now() > until) {
      throw new ApiError(
        'IDEMPOTENCY.IN_PROGRESS',
        'A request with this Idempotency-Key is still being answered; repeat it in a moment.',
      );
    }
    // Held by a request still at work (or released by one that failed: claim it on the next turn).
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
