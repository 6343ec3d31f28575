import { type ChangeFeed, publishChange, type Store } from '@campaigns/db';
import type { Clock } from '../clock';

/**
 * Campaign list answers, remembered until a campaign changes. Every campaign state change goes through
 * `store.transaction`, so the store handed to the services is wrapped to drop the answers after each one and
 * to NOTIFY `campaigns_changed`, which every instance hears (docs/ARCHITECTURE.md "Several instances"). The TTL only
 * bounds staleness should a notification be lost with a connection.
 */
export class ListCache {
  #version = 0;
  readonly #entries = new Map<string, { version: number; until: number; value: unknown }>();

  constructor(
    private readonly clock: Clock,
    /** 0: every answer is loaded afresh. */
    private readonly ttlMs: number,
  ) {}

  /** Drops the answers whenever any instance says a campaign changed. */
  listen(feed: ChangeFeed): () => void {
    return feed.on('campaigns_changed', () => this.changed());
  }

  changed(): void {
    this.#version++;
    this.#entries.clear();
  }

  async getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (this.ttlMs <= 0) return load();
    const now = this.clock.now().getTime();
    const hit = this.#entries.get(key);
    if (hit && hit.version === this.#version && hit.until > now) return hit.value as T;
    const version = this.#version;
    const value = await load();
    // A change that landed while loading makes this answer stale: do not keep it.
    if (version === this.#version) {
      if (this.#entries.size > 1000) this.#entries.clear();
      this.#entries.set(key, { version, until: now + this.ttlMs, value });
    }
    return value;
  }

  /** The store with `transaction` reporting every committed (or attempted) change to this cache. */
  watch(store: Store): Store {
    return {
      ...store,
      transaction: async (work) => {
        try {
          return await store.transaction(work);
        } finally {
          this.changed();
          await publishChange(store.pool, 'campaigns_changed', '').catch(() => {});
        }
      },
    };
  }
}
