#!/bin/sh
# The live feed on PostgreSQL (`make bench-sse-postgres`): two bizosaas processes share
# one database (a throwaway cluster with fsync on, as in production) and the streams;
# 10,000 streams over 1,000 tenants at 1,000 events/s, then the rate is raised until
# p99 publish→receive passes 50 ms or events are lost: the last rate that held is the
# ceiling. Needs PostgreSQL installed (`make test` installs it) and release builds.
set -eu
cd "$(dirname "$0")/.."
export BIZOSAAS_TEST_PG_DIR=${BIZOSAAS_TEST_PG_DIR:-/tmp/bizosaas-bench-pg}
export BIZOSAAS_TEST_PG_PORT=${BIZOSAAS_TEST_PG_PORT:-55439}
export BIZOSAAS_TEST_PG_DURABILITY=${BIZOSAAS_TEST_PG_DURABILITY-}
STREAMS=${STREAMS:-10000}
TENANTS=${TENANTS:-1000}
RATES=${RATES:-1000 2000 3000 4000 6000 8000}

URL=$(scripts/test-postgres.sh start)
trap 'scripts/test-postgres.sh stop' EXIT

for rate in $RATES; do
  # A fresh database each rate, so no run reads another's event log.
  psql -q "$URL" -c "drop database if exists bench_sse" -c "create database bench_sse"
  out=$(./target/release/bench-sse --connections "$STREAMS" --tenants "$TENANTS" --rate "$rate" \
    --seconds 20 --processes 2 --database-url "${URL%/*}/bench_sse") && held=yes || held=no
  echo "$out" | tail -n 6
  p99=$(echo "$out" | tail -n 1 | awk -F'|' '{ gsub(/ ms| /, "", $9); print $9 }')
  if [ "$held" = no ] || [ "$(echo "$p99 > 50" | bc)" = 1 ]; then
    echo "at $rate events/s: p99 $p99 ms, lost or duplicated events: $([ "$held" = no ] && echo yes || echo no) — the ceiling is the rate before"
    break
  fi
done
