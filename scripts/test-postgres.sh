#!/bin/sh
# Starts or stops a throwaway PostgreSQL cluster for the test suite.
# usage: scripts/test-postgres.sh start|stop   (prints the admin URL on start)
set -eu
DIR=${BIZOSAAS_TEST_PG_DIR:-/tmp/bizosaas-test-pg}
PORT=${BIZOSAAS_TEST_PG_PORT:-55432}
# Tests need no durability, nor a WAL kept up to 1 GB (a CI machine's disk can be nearly
# full); a benchmark passes "" to measure with PostgreSQL's defaults.
DURABILITY=${BIZOSAAS_TEST_PG_DURABILITY--c fsync=off -c max_wal_size=64MB -c min_wal_size=32MB}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "PostgreSQL is not installed (make test installs it)" >&2; exit 1; }

as_pg() {
  # initdb refuses to run as root.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ -f "$DIR/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then
      :
    else
      rm -rf "$DIR"
      mkdir -p "$DIR"
      [ "$(id -u)" = 0 ] && chown postgres "$DIR"
      as_pg "$BIN/initdb" -D "$DIR" -A trust -U postgres >/dev/null
      as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/log" \
        -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 $DURABILITY -c max_connections=300" -w start >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -d "$DIR" ]; then
      as_pg "$BIN/pg_ctl" -D "$DIR" -m fast stop >/dev/null 2>&1 || true
      rm -rf "$DIR"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
