import { api } from '$lib/api/client';

/** The approvals inbox count for the navigation badge. */
class Pending {
  count = $state(0);

  async refresh(): Promise<void> {
    try {
      this.count = (await api.approvals.pending.query()).count;
    } catch {
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
