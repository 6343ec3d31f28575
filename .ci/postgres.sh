#!/usr/bin/env bash
# Sourced by .ci/run (and usable by hand): installs Debian's PostgreSQL if missing, starts a throw-away
# cluster on loopback and exports TEST_DATABASE_URL for the store's contract tests.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pg_port=${PG_TEST_PORT:-54329}
pg_dir=$(mktemp -d /tmp/campaigns-pg.XXXXXX)
chown postgres "$pg_dir"
su postgres -c "$pg_bin/initdb -D $pg_dir/data -U postgres --auth=trust -E UTF8 >/dev/null"
su postgres -c "$pg_bin/pg_ctl -D $pg_dir/data -o '-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1' -l $pg_dir/log -w start >/dev/null"
# Stopped and removed when the shell that sourced this exits (CI's run, or your terminal).
trap 'su postgres -c "$pg_bin/pg_ctl -D $pg_dir/data stop -m fast" >/dev/null 2>&1; rm -rf "$pg_dir"' EXIT
export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/postgres"
echo "PostgreSQL test server on 127.0.0.1:$pg_port"
