import type { DeployTarget, UserRows, UserTable } from '@campaigns/db';

/**
 * The target with every user-row write handed to `intercept` first, which may fail it, stall it or let it
 * through (`write`): a deploy that breaks or hangs on a chosen table. Everything else is the real target.
 */
export function interceptUserWrites(
  target: DeployTarget,
  intercept: (table: UserTable, write: () => Promise<void>) => Promise<void>,
): DeployTarget {
  return new Proxy(target, {
    get(real, property, receiver) {
      if (property === 'writeUsers')
        return (table: UserTable, rows: UserRows) => intercept(table, () => real.writeUsers(table, rows));
      const value: unknown = Reflect.get(real, property, receiver);
      return typeof value === 'function' ? value.bind(real) : value;
    },
  });
}
