import { api, type RouterOutputs } from '$lib/api/client';
import { errorData } from '$lib/api/errors';
import { session } from '$lib/session.svelte';

type Inbox = RouterOutputs['notifications']['mine'];

/** The signed-in person's in-app notifications (submitted, approved, rejected, deployed...) and the unread count. */
class Notifications {
  unread = $state(0);
  items = $state<Inbox['notifications']>([]);

  async refresh(): Promise<void> {
    try {
      const inbox = await api.notifications.mine.query();
      this.unread = inbox.unread;
      this.items = inbox.notifications;
    } catch (error) {
      // An idle page notices an expired session here and goes to sign-in (and back afterwards).
      if (errorData(error)?.code === 'UNAUTHORIZED') session.expired();
      // A hint in the navigation: a failed poll keeps the last state; the inbox page reports errors itself.
    }
  }

  async markRead(id: string): Promise<void> {
    await api.notifications.markRead.mutate({ id });
    await this.refresh();
  }

  async markAllRead(): Promise<void> {
    await api.notifications.markAllRead.mutate();
    await this.refresh();
  }

  /** Polls every 30 s; returns the stop function (for an $effect cleanup). */
  poll(): () => void {
    void this.refresh();
    const timer = setInterval(() => void this.refresh(), 30_000);
    return () => clearInterval(timer);
  }
}

export const notifications = new Notifications();
