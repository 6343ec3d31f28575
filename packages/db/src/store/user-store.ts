import { asc, eq } from 'drizzle-orm';
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

const map = (row: typeof users.$inferSelect): User => ({
  id: row.id,
  username: row.username,
  role: row.role,
  disabled: row.disabled,
  createdAt: row.createdAt,
});

const publicColumns = {
  id: users.id,
  username: users.username,
  role: users.role,
  disabled: users.disabled,
  createdAt: users.createdAt,
  passwordHash: users.passwordHash,
};

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
    const [row] = await this.db.select(publicColumns).from(users).where(eq(users.username, username));
    return row ? { user: map(row), passwordHash: row.passwordHash } : null;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.select().from(users).orderBy(asc(users.username));
    return rows.map(map);
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.update(users).set({ passwordHash }).where(eq(users.id, id));
  }

  async setRole(id: string, role: UserRole): Promise<User | null> {
    const [row] = await this.db.update(users).set({ role }).where(eq(users.id, id)).returning();
    return row ? map(row) : null;
  }

  async setDisabled(id: string, disabled: boolean): Promise<User | null> {
    const [row] = await this.db.update(users).set({ disabled }).where(eq(users.id, id)).returning();
    return row ? map(row) : null;
  }
}
