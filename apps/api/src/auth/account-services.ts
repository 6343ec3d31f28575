// The user and auth services over the store's account tables, wired in one place for the API (app.ts) and the
// operator CLI (cli.ts). What differs between the two is passed in: the audit trail, the clock, who owns the
// password scorer's thread, and whether other instances hear of a credentials change.
import type { Store } from '@campaigns/db';
import type { Clock } from '../clock';
import type { Settings } from '../env';
import type { AuditTrail } from '../services/audit-trail';
import { UserService } from '../services/user-service';
import { AuthService } from './auth-service';
import { LoginThrottle } from './login-throttle';
import type { PasswordScorer } from './password-worker';

export interface AccountServices {
  auth: AuthService;
  users: UserService;
}

export function createAccountServices(deps: {
  store: Pick<Store, 'users' | 'sessions' | 'apiTokens' | 'loginAttempts'>;
  settings: Pick<Settings, 'sessionIdleMs' | 'sessionAbsoluteMs' | 'loginThrottle'>;
  clock: Clock;
  audit: AuditTrail;
  /** Scores new passwords on its own thread; the caller owns it and closes it. */
  passwords: PasswordScorer;
  /** After a role, disabled flag or token change, once this process forgot its cached tokens: tell the others. */
  onCredentialsChanged?: () => void;
}): AccountServices {
  const { store, settings, clock, audit, passwords } = deps;
  const accounts = { users: store.users, sessions: store.sessions, apiTokens: store.apiTokens };
  const auth = new AuthService({
    ...accounts,
    clock,
    policy: { idleMs: settings.sessionIdleMs, absoluteMs: settings.sessionAbsoluteMs },
    throttle: new LoginThrottle(store.loginAttempts, settings.loginThrottle, clock),
    audit,
    passwords,
  });
  const users = new UserService({
    ...accounts,
    audit,
    passwords,
    onCredentialsChanged: () => {
      auth.forgetCachedTokens();
      deps.onCredentialsChanged?.();
    },
  });
  return { auth, users };
}
