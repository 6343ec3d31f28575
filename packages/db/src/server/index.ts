// The database server: the embedded PostgreSQL by default, or any server by URL.
export type { DatabaseConnection } from './database-server';
export { connectDatabase, EMBEDDED_DATABASE } from './database-server';
export type { DatabaseServer } from './embedded-server';
export { embeddedServerPaths, openEmbeddedServer, runningServer } from './embedded-server';
export { redactedUrl } from './redacted-url';
