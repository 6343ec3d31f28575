import { toast } from 'svelte-sonner';
import { i18n } from '$lib/i18n/i18n.svelte';
import { handleError } from './errors';

/**
 * What a screen shows from the API and loads again after each change. Loads can overlap (a filter changed, a
 * row revoked while the previous list is on its way): only the latest load's answer is kept, so an older one
 * arriving late never replaces it. A failed load keeps the last value and says so in a toast.
 */
export class Loaded<T> {
  value: T;
  /** A load is on its way (true from the start: a screen loads as soon as it has made one of these). */
  loading = $state(true);
  #loadId = 0;

  constructor(
    private readonly fetch: () => Promise<T>,
    initial: T,
    /** Called with each answer kept (after the value is set): a screen that follows work on the server polls. */
    private readonly onLoad: (value: T) => void = () => {},
  ) {
    this.value = $state.raw(initial);
  }

  /** Loads now; resolves true when this load's answer is the one shown. */
  async load(): Promise<boolean> {
    const id = ++this.#loadId;
    this.loading = true;
    try {
      const value = await this.fetch();
      if (id !== this.#loadId) return false;
      this.value = value;
      this.onLoad(value);
      return true;
    } catch (error) {
      if (id === this.#loadId) handleError(error, i18n.t.errors.loadFailed);
      return false;
    } finally {
      if (id === this.#loadId) this.loading = false;
    }
  }

  /**
   * Makes a change on the server, then loads again: `done` (if given) in a success toast, a refusal in the
   * failure toast. Resolves true when the change was made.
   */
  async change(action: () => Promise<unknown>, done?: string): Promise<boolean> {
    try {
      await action();
    } catch (error) {
      handleError(error, i18n.t.errors.saveFailed);
      return false;
    }
    if (done) toast.success(done);
    await this.load();
    return true;
  }
}
