/** A database URL fit for a log line or /healthz: host, port and database, never the password. */
export function redactedUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    return `postgres://${url.username ? `${url.username}@` : ''}${url.host}${url.pathname}`;
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
