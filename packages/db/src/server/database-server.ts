// The one database server every process of the service uses (docs/ARCHITECTURE.md "Persistence"): an external PostgreSQL
// by URL, or the embedded one in DATA_DIR/postgres, started on first need and shared by every process after.
import pg from 'pg';
import { openEmbeddedServer } from './embedded-server';
import { redactedUrl } from './redacted-url';

/** The database of the embedded server that holds the app store (and by default the twin's schemas). */
export const EMBEDDED_DATABASE = 'campaigns';

export interface DatabaseConnection {
  /** postgres://... of the app's database. */
  url: string;
  /** The same without its password, for /healthz and logs. */
  location: string;
  embedded: boolean;
  /** Call once at the end: the embedded server stops when its last client leaves. */
  release(): Promise<void>;
}

export async function connectDatabase(options: {
  databaseUrl?: string | undefined;
  dataDir: string;
  onLog?: (message: string) => void;
}): Promise<DatabaseConnection> {
  if (options.databaseUrl) {
    return {
      url: options.databaseUrl,
      location: redactedUrl(options.databaseUrl),
      embedded: false,
      release: async () => {},
    };
  }
  const server = await openEmbeddedServer(options.dataDir, options.onLog ? { onLog: options.onLog } : {});
  try {
    await ensureDatabase(server.url, EMBEDDED_DATABASE);
  } catch (error) {
    await server.release();
    throw error;
  }
  const url = new URL(server.url);
  url.pathname = `/${EMBEDDED_DATABASE}`;
  return {
    url: url.toString(),
    location: `embedded ${redactedUrl(url.toString())}`,
    embedded: true,
    release: async () => {
      await server.release();
    },
  };
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (error) {
    // Another process created it a moment before us.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}
