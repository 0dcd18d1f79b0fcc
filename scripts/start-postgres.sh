#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server for the test suite and prints the admin connection string.
# Usage: eval "$(bash scripts/start-postgres.sh)"   (exports PORTCULLIS_TEST_POSTGRES and PORTCULLIS_PGDATA)
set -euo pipefail
PGPORT="${PORTCULLIS_PGPORT:-55432}"
PGDATA="${PORTCULLIS_PGDATA:-/tmp/portcullis-pg/data}"

pgbin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  return 1
}

if ! PGBIN=$(pgbin); then
  echo "installing PostgreSQL (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  PGBIN=$(pgbin)
fi

# Run server commands as the postgres user when we are root (initdb refuses root).
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

if [ -f "$PGDATA/postmaster.pid" ]; then
  as_pg "$PGBIN/pg_ctl -D $PGDATA -m immediate -w stop" >/dev/null 2>&1 || true
fi
rm -rf "$PGDATA"
mkdir -p "$(dirname "$PGDATA")"
if [ "$(id -u)" = 0 ]; then
  install -d -o postgres -g postgres -m 700 "$PGDATA"
else
  install -d -m 700 "$PGDATA"
fi
as_pg "$PGBIN/initdb -D $PGDATA -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8" >/dev/null
# Tuned for a throw-away test server: durability is not needed, connections are. PORTCULLIS_PG_DURABLE=1 keeps
# PostgreSQL's durable defaults (fsync, synchronous_commit), for benchmarks that should pay what production pays.
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
[ "${PORTCULLIS_PG_DURABLE:-0}" = 1 ] && durability=""
as_pg "$PGBIN/pg_ctl -D $PGDATA -l $PGDATA/server.log -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c max_connections=300 $durability\" start" >/dev/null
as_pg "psql -h $PGDATA -p $PGPORT -U postgres -d postgres -v ON_ERROR_STOP=1 -q -c \"CREATE ROLE portcullis LOGIN CREATEDB PASSWORD 'portcullis'\"" >/dev/null

echo "export PORTCULLIS_PGDATA='$PGDATA'"
echo "export PORTCULLIS_PGBIN='$PGBIN'"
echo "export PORTCULLIS_TEST_POSTGRES='Host=127.0.0.1;Port=$PGPORT;Username=portcullis;Password=portcullis;Database=postgres;Maximum Pool Size=50'"
