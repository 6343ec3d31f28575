import { and, asc, eq } from 'drizzle-orm';
import type { StoreDatabase } from './database';
import { type UserRole, users } from './schema';

export interface User {
  id: string;
  username: string;
  role: UserRole;
  disabled: boolean;
  createdAt: Date;
}

/** Only for the login path: the one place a password hash leaves the store. */
export interface UserCredentials {
  user: User;
  passwordHash: string;
}

export interface NewUser {
  username: string;
  role: UserRole;
  passwordHash: string;
}

/** What a role or disabled change may set; a field left out keeps its value. */
export interface AccessChange {
  role?: UserRole;
  disabled?: boolean;
}

/** A change made (with the user before and after), refused because it would leave no enabled admin, or no user. */
export type AccessChangeOutcome =
  | { status: 'changed'; before: User; user: User }
  | { status: 'last_admin'; user: User }
  | { status: 'not_found' };

const map = (row: typeof users.$inferSelect): User => ({
  id: row.id,
  username: row.username,
  role: row.role,
  disabled: row.disabled,
  createdAt: row.createdAt,
});

/** A user's columns without the password hash: what every join to users selects. */
export const userColumns = {
  id: users.id,
  username: users.username,
  role: users.role,
  disabled: users.disabled,
  createdAt: users.createdAt,
};

const credentialColumns = { ...userColumns, passwordHash: users.passwordHash };

export class UserStore {
  constructor(private readonly db: StoreDatabase) {}

  async create(input: NewUser): Promise<User> {
    const [row] = await this.db.insert(users).values(input).returning();
    return map(row!);
  }

  async findById(id: string): Promise<User | null> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row ? map(row) : null;
  }

  async findByUsername(username: string): Promise<User | null> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    return row ? map(row) : null;
  }

  /** The dedicated auth lookup: user plus password hash, for verifying a login. */
  async findCredentials(username: string): Promise<UserCredentials | null> {
    const [row] = await this.db.select(credentialColumns).from(users).where(eq(users.username, username));
    return row ? { user: map(row), passwordHash: row.passwordHash } : null;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.select().from(users).orderBy(asc(users.username));
    return rows.map(map);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, id));
  }

  /**
   * Changes a user's role or disabled flag, unless that would leave no enabled admin. Race-proof: the enabled
   * admins' rows are locked (in id order) before anything is read, so two admins demoting or disabling each
   * other at once take turns, and the second one's lock, once granted, re-reads the first one's change
   * (READ COMMITTED re-checks a locked row against the WHERE) and finds itself the last admin.
   */
  async changeAccess(id: string, change: AccessChange): Promise<AccessChangeOutcome> {
    return this.db.transaction(async (tx) => {
      const admins = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
        .orderBy(asc(users.id))
        .for('update');
      const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
      if (!row) return { status: 'not_found' };
      const before = map(row);
      const role = change.role ?? before.role;
      const disabled = change.disabled ?? before.disabled;
      const leavesAdmins = admins.some((a) => a.id === id) && (role !== 'admin' || disabled);
      if (leavesAdmins && admins.length === 1) return { status: 'last_admin', user: before };
      const [updated] = await tx.update(users).set({ role, disabled }).where(eq(users.id, id)).returning();
      return { status: 'changed', before, user: map(updated!) };
    });
  }
}
