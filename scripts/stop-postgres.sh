#!/usr/bin/env bash
# Stops the server started by start-postgres.sh.
set -u
[ -n "${PORTCULLIS_PGDATA:-}" ] && [ -n "${PORTCULLIS_PGBIN:-}" ] || exit 0
if [ "$(id -u)" = 0 ]; then
  su postgres -s /bin/sh -c "$PORTCULLIS_PGBIN/pg_ctl -D $PORTCULLIS_PGDATA -m fast -w stop" >/dev/null 2>&1
else
  "$PORTCULLIS_PGBIN/pg_ctl" -D "$PORTCULLIS_PGDATA" -m fast -w stop >/dev/null 2>&1
fi
rm -rf "$PORTCULLIS_PGDATA"
