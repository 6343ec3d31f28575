// LISTEN/NOTIFY between the instances sharing one database (docs/ARCHITECTURE.md "Several instances"): a campaign changed
// (list caches drop their answers), a job moved (SSE subscriptions push its new state), a password, role or
// token changed (remembered API tokens are forgotten). One dedicated
// connection per process listens; a lost connection is reopened, and listeners then hear a '*' (anything may
// have changed meanwhile).
import pg from 'pg';

export const changeChannels = ['campaigns_changed', 'job_changed', 'credentials_changed'] as const;
export type ChangeChannel = (typeof changeChannels)[number];

type Listener = (payload: string) => void;

export class ChangeFeed {
  readonly #listeners = new Map<ChangeChannel, Set<Listener>>();
  #client: pg.Client | null = null;
  #closed = false;
  #retry: NodeJS.Timeout | null = null;

  private constructor(private readonly databaseUrl: string) {}

  static async open(databaseUrl: string): Promise<ChangeFeed> {
    const feed = new ChangeFeed(databaseUrl);
    await feed.#connect();
    return feed;
  }

  on(channel: ChangeChannel, listener: Listener): () => void {
    const set = this.#listeners.get(channel) ?? new Set<Listener>();
    this.#listeners.set(channel, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retry) clearTimeout(this.#retry);
    await this.#client?.end().catch(() => {});
    this.#client = null;
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: 'campaigns-listen',
    });
    client.on('notification', (message) => {
      this.#emit(message.channel as ChangeChannel, message.payload ?? '');
    });
    const lost = () => {
      if (this.#client !== client) return;
      this.#client = null;
      client.end().catch(() => {});
      this.#scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    await client.connect();
    for (const channel of changeChannels) await client.query(`LISTEN ${channel}`);
    this.#client = client;
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#connect().then(
        () => {
          for (const channel of changeChannels) this.#emit(channel, '*');
        },
        () => this.#scheduleReconnect(),
      );
    }, 1000);
    this.#retry.unref();
  }

  #emit(channel: ChangeChannel, payload: string): void {
    for (const listener of this.#listeners.get(channel) ?? []) listener(payload);
  }
}

/** Tells every instance (this one too) that something changed: a NOTIFY through any connection. */
export async function publishChange(pool: pg.Pool, channel: ChangeChannel, payload: string): Promise<void> {
  await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
}
