import { api } from '$lib/api/client';
import { errorData } from '$lib/api/errors';
import { session } from '$lib/session.svelte';

/** The approvals inbox count for the navigation badge. */
class Pending {
  count = $state(0);

  async refresh(): Promise<void> {
    try {
      this.count = (await api.approvals.pending.query()).count;
    } catch (error) {
      // An idle page notices an expired session here and goes to sign-in (and back afterwards).
      if (errorData(error)?.code === 'UNAUTHORIZED') session.expired();
      // The badge is a hint: a failed poll keeps the last count, the inbox page reports errors itself.
    }
  }

  /** Polls every 30 s; returns the stop function (for an $effect cleanup). */
  poll(): () => void {
    void this.refresh();
    const timer = setInterval(() => void this.refresh(), 30_000);
    return () => clearInterval(timer);
  }
}

export const pending = new Pending();
