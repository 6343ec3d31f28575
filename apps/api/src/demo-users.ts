import type { App } from './app';
import type { Role } from './auth/principal';
import { generateSecretToken } from './auth/secret-token';

/**
 * On the first start (no users at all), one demo user per role with a random password, printed once. Nothing
 * happens on later starts, so credentials never get reset behind an operator's back, and nothing ever with
 * NODE_ENV=production: there the first admin is made with `pnpm cli`.
 */
export async function seedDemoUsers(
  app: App,
): Promise<Array<{ username: string; role: Role; password: string }> | null> {
  if (app.settings.nodeEnv === 'production') return null;
  if ((await app.store.users.list()).length > 0) return null;
  const created: Array<{ username: string; role: Role; password: string }> = [];
  for (const [username, role] of [
    ['marketer', 'marketer'],
    ['approver', 'approver'],
    ['admin', 'admin'],
  ] as const) {
    const password = generateSecretToken().slice(0, 16);
    await app.users.create({ username, role, password }, null);
    created.push({ username, role, password });
  }
  return created;
}
