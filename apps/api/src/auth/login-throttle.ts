import type { AttemptAdmission, LoginAttemptStore } from '@campaigns/db';
import type { Clock } from '../clock';

export interface LoginThrottleOptions {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

/**
 * Limits sign-in attempts per account and per client address over a sliding window, counted in the store so
 * that every instance counts the same attempts. An attempt counts from the moment it is admitted (before the
 * password is checked) and is forgotten if it succeeds: attempts sent at once cannot slip past the limit.
 * An account under attack from many addresses is locked by the first counter, one address trying many
 * accounts by the second.
 */
export class LoginThrottle {
  constructor(
    private readonly attempts: LoginAttemptStore,
    private readonly options: LoginThrottleOptions,
    private readonly clock: Clock,
  ) {}

  /** Admits an attempt (then it counts as a failure until `succeeded`), or says how long to wait. */
  admit(username: string, address: string): Promise<AttemptAdmission> {
    return this.attempts.admit(
      [
        { key: accountKey(username), max: this.options.maxFailuresPerAccount },
        { key: addressKey(address), max: this.options.maxFailuresPerAddress },
      ],
      this.options.windowMs,
      this.clock.now(),
    );
  }

  /** A successful sign-in: its own attempt is forgotten and the account's counter cleared (not the address's). */
  async succeeded(username: string, admission: AttemptAdmission): Promise<void> {
    if (admission.admitted) await this.attempts.forget(admission.ids);
    await this.attempts.clear(accountKey(username));
  }
}

const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
const addressKey = (address: string) => `address:${address}`;
