import type { Store } from '@campaigns/db';
import type { Clock } from '../clock';

/**
 * Campaign list answers, remembered until a campaign changes. Every campaign state change goes through
 * `store.transaction`, so the store handed to the services is wrapped to bump a version after each one; a
 * short TTL bounds staleness from other instances sharing a PostgreSQL store.
 */
export class ListCache {
  #version = 0;
  readonly #entries = new Map<string, { version: number; until: number; value: unknown }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 1000,
  ) {}

  changed(): void {
    this.#version++;
    this.#entries.clear();
  }

  async getOrLoad<T>(key: string, load: () => Promise<T>): Promise<T> {
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
        }
      },
    };
  }
}
