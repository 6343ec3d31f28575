import pg from 'pg';

/**
 * Who is deploying a campaign right now, across every instance: a session-level advisory lock held on one
 * connection for the whole deploy. When the instance dies its connection closes and the server drops the lock
 * at once, so another instance may take over; while it lives, nobody else can (docs/decisions/deploy-jobs.md).
 */
export async function withDeployLock<T>(
  databaseUrl: string,
  campaignId: string,
  work: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  // A connection of its own, not one of the store's pool: the deploy needs the pool's connections while the
  // lock is held, and twenty deploys at once must not hold all of them.
  const connection = new pg.Client({
    connectionString: databaseUrl,
    application_name: 'campaigns-deploy-lock',
  });
  connection.on('error', () => {}); // a lost connection means a lost lock; the deploy's own queries will say so
  await connection.connect();
  try {
    const key = `deploy:${campaignId}`;
    const { rows } = await connection.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
      [key],
    );
    if (!rows[0]?.ok) return { acquired: false };
    try {
      return { acquired: true, value: await work() };
    } finally {
      await connection.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => {});
    }
  } finally {
    // Closing the connection drops the lock in any case.
    await connection.end().catch(() => {});
  }
}
