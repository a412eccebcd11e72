#!/bin/sh
# `make bench-scale`: N tenants (default 5,000, `TENANTS=...`), each with a realistic home
# page; wrk asks for random tenants' home pages (a random Host each request), first from
# the floor (bench/floor: read the page's JSON, fill a string template, nothing else),
# then from bizosaas, in one run on this machine. Prints req/s, latency and peak memory of
# each. Needs wrk (installed here when missing) and release builds.
set -eu
cd "$(dirname "$0")/.."

TENANTS=${TENANTS:-5000}
SECONDS_EACH=${SECONDS_EACH:-20}
CONNECTIONS=${CONNECTIONS:-64}
CACHE_MB=${CACHE_MB:-64}
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
if ! command -v wrk >/dev/null; then
  $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends wrk
fi
cargo build --release -p server --bin bizosaas
cargo build --release -p bench-floor

DIR=$(mktemp -d)
APP_PORT=3990
FLOOR_PORT=3991
cleanup() {
  kill "$APP_PID" "$FLOOR_PID" 2>/dev/null || true
  rm -rf "$DIR"
}
APP_PID= FLOOR_PID=
trap cleanup EXIT

export DATABASE_URL="sqlite://$DIR/scale.db" BIZOSAAS_ADDR="127.0.0.1:$APP_PORT" RUST_LOG=warn
./target/release/bizosaas seed --demo >/dev/null
python3 bench/home_page.py "$DIR/scale.db"
python3 bench/scale_tenants.py "$TENANTS" "$DIR/scale.db"

# Context switches of all a process's threads so far (sqlx hands every SQLite statement
# to a connection's own thread and back).
switches() { cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ { n += $2 } END { print n }'; }
peak_mb() { awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }

# wrk's summary as one line: requests/s, p50, p99.
load() {
  PORT=$1 TENANTS=$TENANTS wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency \
    -s bench/random_host.lua "http://127.0.0.1:$1/" > "$DIR/wrk.txt"
  awk '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
       /Non-2xx/ { bad = $5 } END { printf "%s req/s, p50 %s, p99 %s%s", rps, p50, p99,
       (bad ? ", NON-2xx " bad : "") }' "$DIR/wrk.txt"
}

./target/release/bench-floor "$DIR/scale.db" "127.0.0.1:$FLOOR_PORT" & FLOOR_PID=$!
BIZOSAAS_CACHE_MB=$CACHE_MB ./target/release/bizosaas serve & APP_PID=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 &&
    curl -fs -H "Host: t1.localhost" "http://127.0.0.1:$FLOOR_PORT/" >/dev/null 2>&1 && break
  sleep 0.1
done
printf 'home page: %s bytes from bizosaas, %s bytes from the floor\n' \
  "$(curl -fs -H "Host: t1.localhost:$APP_PORT" "http://127.0.0.1:$APP_PORT/" | wc -c)" \
  "$(curl -fs -H "Host: t1.localhost" "http://127.0.0.1:$FLOOR_PORT/" | wc -c)"

FLOOR=$(load "$FLOOR_PORT")
BEFORE=$(switches "$APP_PID")
APP=$(load "$APP_PORT")
PER_REQUEST=$(awk -v n=$(( $(switches "$APP_PID") - BEFORE )) '/ requests in / { printf "%.1f", n / $1 }' "$DIR/wrk.txt")
printf '%s tenants, a random one each request, wrk -t2 -c%s, %s s each, cache %s MB\n' \
  "$TENANTS" "$CONNECTIONS" "$SECONDS_EACH" "$CACHE_MB"
printf 'floor:    %s; peak %s MB resident\n' "$FLOOR" "$(peak_mb "$FLOOR_PID")"
printf 'bizosaas: %s; peak %s MB resident; %s context switches a request\n' "$APP" \
  "$(peak_mb "$APP_PID")" "$PER_REQUEST"
