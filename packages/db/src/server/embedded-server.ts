// The embedded default database server (docs/ARCHITECTURE.md "Persistence"; docs/decisions/embedded-postgres.md): a real
// PostgreSQL server in DATA_DIR/postgres that every process of the service reaches over loopback. The first
// process that needs it initialises and starts it; the others find it through postmaster.pid (PostgreSQL's own
// lock on the directory) and connect. The last client to leave stops it.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { postgresBinaries } from './postgres-binaries';

export interface DatabaseServer {
  /** A postgres:// URL of the server's `postgres` database, with the superuser's generated password. */
  readonly url: string;
  /** True when this process started the server (false: it found one running on the directory). */
  readonly started: boolean;
  /** Leaves the server: stops it when no other client is connected to it, else leaves it to them. */
  release(): Promise<'stopped' | 'left running'>;
}

export interface EmbeddedServerOptions {
  /** Progress lines for a person at a terminal (initialising, starting). */
  onLog?: (message: string) => void;
}

/** The user PostgreSQL runs as when we are root (it refuses to run as root). */
const SERVER_USER = 'postgres';
const SUPERUSER = 'campaigns';
const START_TIMEOUT_S = 60;

export const embeddedServerPaths = (dataDir: string) => ({
  cluster: path.join(dataDir, 'postgres'),
  secret: path.join(dataDir, 'postgres.secret'),
  lock: path.join(dataDir, 'postgres.lock'),
  log: path.join(dataDir, 'postgres', 'server.log'),
});

/** Starts the embedded server on `dataDir`, or connects to the one already running there. */
export async function openEmbeddedServer(
  dataDir: string,
  options: EmbeddedServerOptions = {},
): Promise<DatabaseServer> {
  const log = options.onLog ?? (() => {});
  const paths = embeddedServerPaths(path.resolve(dataDir));
  mkdirSync(path.dirname(paths.cluster), { recursive: true });
  const unlock = await takeStartLock(paths.lock);
  try {
    const running = runningServer(paths.cluster);
    if (running) {
      log(
        `using the embedded PostgreSQL server already running on 127.0.0.1:${running.port} (pid ${running.pid})`,
      );
      return serverHandle(paths.cluster, urlFor(running.port, readSecret(paths.secret)), false);
    }
    const account = serverAccount(paths.cluster);
    if (!existsSync(path.join(paths.cluster, 'PG_VERSION'))) {
      log(`initialising the embedded PostgreSQL server in ${paths.cluster}`);
      initialise(paths, account);
    }
    const password = readSecret(paths.secret);
    const port = await freeLoopbackPort();
    log(`starting the embedded PostgreSQL server on 127.0.0.1:${port}`);
    pgCtl(account, [
      'start',
      '-w',
      '-t',
      String(START_TIMEOUT_S),
      '-D',
      paths.cluster,
      '-l',
      paths.log,
      '-o',
      `-p ${port}`,
    ]);
    return serverHandle(paths.cluster, urlFor(port, password), true);
  } finally {
    unlock();
  }
}

function urlFor(port: number, password: string): string {
  return `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function serverHandle(clusterDir: string, url: string, started: boolean): DatabaseServer {
  return {
    url,
    started,
    async release() {
      const client = new pg.Client({ connectionString: url });
      try {
        await client.connect();
      } catch {
        return 'stopped'; // already gone
      }
      try {
        const others = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
        );
        if ((others.rows[0]?.n ?? 1) > 0) return 'left running';
        await client.end();
        stopCluster(clusterDir);
        return 'stopped';
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

/** Stops the server running on a cluster directory (fast shutdown: open transactions roll back). */
export function stopCluster(clusterDir: string): void {
  const running = runningServer(clusterDir);
  if (!running) return;
  process.kill(running.pid, 'SIGINT');
  const deadline = Date.now() + START_TIMEOUT_S * 1000;
  while (processAlive(running.pid) && Date.now() < deadline) sleepSync(20);
}

/** The server running on the directory, from postmaster.pid: its pid and port, or null when none runs. */
export function runningServer(clusterDir: string): { pid: number; port: number } | null {
  let lines: string[];
  try {
    lines = readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  // Line 8 is the postmaster's status; 'ready' once it accepts connections ('starting' / 'stopping' else).
  const status = (lines[7] ?? '').trim();
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !processAlive(pid)) return null;
  if (status !== 'ready') return null;
  return { pid, port };
}

interface ServerAccount {
  uid?: number;
  gid?: number;
}

/** As root, the `postgres` account (created when missing) owns the cluster; otherwise we run it ourselves. */
function serverAccount(clusterDir: string): ServerAccount {
  if (userInfo().uid !== 0) return {};
  let uid = lookupId('-u');
  if (uid === null) {
    execFileSync('useradd', [
      '--system',
      '--user-group',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      SERVER_USER,
    ]);
    uid = lookupId('-u');
  }
  const gid = lookupId('-g');
  if (uid === null || gid === null)
    throw new Error(`Cannot find the ${SERVER_USER} account to run PostgreSQL as`);
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  ensureReachable(path.dirname(clusterDir));
  const owner = statSync(clusterDir).uid;
  if (owner !== uid) chownSync(clusterDir, uid, gid);
  return { uid, gid };
}

/**
 * The server's account must be able to pass through every directory above its cluster. DATA_DIR itself is
 * ours and gets search permission (x, not read) for others; a parent above it that refuses is an error.
 */
function ensureReachable(dataDir: string): void {
  const mode = statSync(dataDir).mode;
  if ((mode & 0o001) === 0) chmodSync(dataDir, (mode & 0o7777) | 0o001);
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(
        `PostgreSQL runs as the ${SERVER_USER} account (we are root) and cannot pass through ${dir}: ` +
          `allow it (chmod o+x ${dir}) or put DATA_DIR elsewhere`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

function lookupId(flag: '-u' | '-g'): number | null {
  const result = spawnSync('id', [flag, SERVER_USER], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : null;
}

function initialise(paths: ReturnType<typeof embeddedServerPaths>, account: ServerAccount): void {
  mkdirSync(paths.cluster, { recursive: true, mode: 0o700 });
  const password = ensureSecret(paths.secret);
  // initdb reads the password from a file its account can read; a private temp dir, removed at once.
  const scratch = mkdtempSync(path.join(path.dirname(paths.cluster), '.initdb-'));
  const pwfile = path.join(scratch, 'pw');
  try {
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (account.uid !== undefined && account.gid !== undefined) {
      chownSync(scratch, account.uid, account.gid);
      chownSync(pwfile, account.uid, account.gid);
    }
    run(account, binaries(account).initdb, [
      `--pgdata=${paths.cluster}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwfile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      // Unicode case mapping (ILIKE and lower() on Cyrillic and Kazakh names) without depending on the
      // machine's libc locales; byte-order collation, like a C locale.
      '--locale-provider=builtin',
      '--builtin-locale=C.UTF-8',
      '--locale=C',
    ]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Loopback TCP only, no Unix socket; room for several instances, the CLI, the workers and the tests.
  const settings = [
    "listen_addresses = '127.0.0.1'",
    "unix_socket_directories = ''",
    'max_connections = 300',
    'shared_buffers = 256MB',
    'max_wal_size = 2GB',
    'tcp_keepalives_idle = 10',
    'tcp_keepalives_interval = 5',
    'tcp_keepalives_count = 3',
  ];
  writeFileSync(path.join(paths.cluster, 'postgresql.auto.conf'), `${settings.join('\n')}\n`, { flag: 'a' });
}

function ensureSecret(file: string): string {
  if (existsSync(file)) return readSecret(file);
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

function readSecret(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(
      `The embedded PostgreSQL server's password file ${file} is missing: the cluster beside it cannot be used ` +
        'without it (remove the postgres directory to start afresh, or restore the file).',
    );
  }
  const mode = statSync(file).mode & 0o777;
  if (mode !== 0o600) chmodSync(file, 0o600);
  return text.trim();
}

function pgCtl(account: ServerAccount, args: string[]): void {
  run(account, binaries(account).pgCtl, args);
}

function run(account: ServerAccount, command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    ...account,
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  });
  if (result.status !== 0) {
    const output = `${result.stderr ?? ''}${result.stdout ?? ''}`.trim();
    throw new Error(
      `${path.basename(command)} failed: ${output || result.error?.message || `exit ${result.status}`}`,
    );
  }
}

let cachedBinaries: { initdb: string; pgCtl: string } | undefined;

/**
 * The PostgreSQL binaries, runnable by the server's account. As root they run as `postgres`, which may not be
 * able to reach node_modules (a checkout under /root, say): then they are copied once to a shared directory.
 */
function binaries(account: ServerAccount): { initdb: string; pgCtl: string } {
  if (cachedBinaries) return cachedBinaries;
  const { nativeDir, version } = postgresBinaries();
  let dir = nativeDir;
  if (account.uid !== undefined) {
    const probe = spawnSync(path.join(dir, 'bin', 'postgres'), ['--version'], account);
    if (probe.status !== 0) {
      dir = `/var/tmp/campaigns-postgres-${version}`;
      if (!existsSync(path.join(dir, 'bin', 'postgres'))) {
        cpSync(nativeDir, dir, { recursive: true, dereference: false });
        execFileSync('chmod', ['-R', 'a+rX', dir]);
      }
    }
  }
  cachedBinaries = { initdb: path.join(dir, 'bin', 'initdb'), pgCtl: path.join(dir, 'bin', 'pg_ctl') };
  return cachedBinaries;
}

/** A port the system says is free on loopback right now (PostgreSQL binds it a moment later). */
function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Two processes starting at once must not both initialise or start the cluster: a lock file created
 * exclusively, holding the owner's pid (a lock left by a dead process is taken over).
 */
async function takeStartLock(file: string): Promise<() => void> {
  const deadline = Date.now() + (START_TIMEOUT_S + 30) * 1000;
  for (;;) {
    try {
      const fd = openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSafe(file));
    if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new Error(`Another process holds ${file} (pid ${holder}) and does not finish`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleepBuffer = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms: number): void {
  Atomics.wait(sleepBuffer, 0, 0, ms);
}
