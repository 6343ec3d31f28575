import type { Clock } from '../clock';

export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

/**
 * Counts failed sign-ins per account and per client address over a sliding window. An account under attack
 * from many addresses is locked by the first counter, one address trying many accounts by the second.
 * In memory: one API instance; several instances each throttle on their own (stated in the report).
 */
export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  constructor(
    private readonly options: LoginThrottleOptions,
    private readonly clock: Clock,
  ) {}

  /** Milliseconds until a new attempt is allowed for this account or address; 0 when allowed now. */
  retryAfterMs(username: string, address: string): number {
    return Math.max(
      this.#blockedFor(accountKey(username), this.options.maxFailuresPerAccount),
      this.#blockedFor(addressKey(address), this.options.maxFailuresPerAddress),
    );
  }

  recordFailure(username: string, address: string): void {
    const now = this.clock.now().getTime();
    for (const key of [accountKey(username), addressKey(address)]) {
      const list = this.#recent(key, now);
      list.push(now);
      this.#failures.set(key, list);
    }
  }

  /** A successful sign-in clears the account's counter, not the address's (one address, many accounts). */
  recordSuccess(username: string): void {
    this.#failures.delete(accountKey(username));
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((at) => now - at < this.options.windowMs);
  }

  #blockedFor(key: string, max: number): number {
    const now = this.clock.now().getTime();
    const recent = this.#recent(key, now);
    if (recent.length === 0) this.#failures.delete(key);
    if (recent.length < max) return 0;
    const unlockingFailure = recent[recent.length - max] ?? now;
    return Math.max(1, unlockingFailure + this.options.windowMs - now);
  }
}

const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
