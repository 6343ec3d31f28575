// Operator CLI: `pnpm cli user add --username U --role R` (the password at a hidden prompt or on stdin, never
// in argv), `pnpm cli user list`,
// `pnpm cli token create --username U [--name N] [--scopes read,write]` (prints only the token).
// One more client of the database server (docs/ARCHITECTURE.md "Persistence"): it works while the service runs, and
// starts the embedded server itself (and stops it again) when nothing runs.

import { parseArgs } from 'node:util';
import { connectDatabase, createStore } from '@campaigns/db';
import { createAccountServices } from './auth/account-services';
import { readPassword } from './auth/password-prompt';
import { PasswordScorer } from './auth/password-worker';
import { type Role, roles, type TokenScope, tokenScopes } from './auth/principal';
import { systemClock } from './clock';
import { loadSettings } from './env';
import { isCodedError } from './errors';
import type { AuditTrail } from './services/audit-trail';

const usage = `Usage:
  pnpm cli user add --username U --role marketer|approver|admin   (password: prompt, or one line on stdin)
  pnpm cli user list
  pnpm cli token create --username U [--name N] [--scopes read,write]`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      password: { type: 'string' }, // refused below: a password never travels in argv
      name: { type: 'string' },
      scopes: { type: 'string' },
    },
  });
  const command = positionals.join(' ');
  if (!['user add', 'user list', 'token create'].includes(command)) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  if (values.password !== undefined) {
    process.stderr.write(
      '--password is not taken: argv shows in `ps` and shell history. Type the password at the prompt or pipe it on stdin.\n',
    );
    return 2;
  }
  // Arguments are checked before the store is opened: a typo answers at once.
  if (command === 'user add' && (!values.username || !roles.includes(values.role as Role))) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const scopes = (values.scopes ?? 'read,write').split(',').map((s) => s.trim()) as TokenScope[];
  if (command === 'token create' && scopes.some((s) => !tokenScopes.includes(s))) {
    process.stderr.write(`scopes must be among: ${tokenScopes.join(', ')}\n`);
    return 2;
  }
  const password = command === 'user add' ? await readPassword() : '';
  const settings = loadSettings();
  const database = await connectDatabase({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
  const store = await createStore({
    databaseUrl: database.url,
    maxConnections: 2,
    applicationName: 'campaigns-cli',
  }).catch(async (error: unknown) => {
    await database.release();
    throw error;
  });
  const audit: AuditTrail = {
    record: async (entry) =>
      void (await store.audit.append({ ...entry, details: { ...entry.details, via: 'cli' } })),
  };
  const passwords = new PasswordScorer();
  // No other instance hears of it: the CLI only adds users and tokens, which no cache holds yet.
  const { auth, users } = createAccountServices({ store, settings, clock: systemClock, audit, passwords });
  try {
    if (command === 'user add') {
      const role = values.role as Role;
      const user = await users.create({ username: values.username ?? '', role, password }, null);
      process.stdout.write(`created ${user.username} (${user.role})\n`);
    } else if (command === 'user list') {
      for (const u of await users.list()) {
        process.stdout.write(
          `${u.username}\t${u.role}\t${u.disabled ? 'disabled' : 'active'}\t${u.createdAt}\n`,
        );
      }
    } else {
      const user = values.username ? await users.findByUsername(values.username) : null;
      if (!user) {
        process.stderr.write(`no user ${values.username ?? '(missing --username)'}\n`);
        return 1;
      }
      const created = await auth.createApiToken({
        userId: user.id,
        name: values.name ?? 'cli',
        scopes,
        actorId: null,
      });
      process.stdout.write(`${created.token}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`${isCodedError(error) ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await passwords.close();
    await store.close();
    await database.release();
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
