#!/bin/sh
# Load-tests a realistic tenant home page (`make bench`): the cached page from bizosaas
# against nginx serving the same HTML as a static file, then the uncached render time.
# Needs wrk and nginx (Debian packages; installed here when missing) and a release build.
set -eu
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
if ! command -v wrk >/dev/null || ! [ -x /usr/sbin/nginx ]; then
  $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends wrk nginx-light
fi
cargo build --release -p server --bin bizosaas

DIR=$(mktemp -d)
APP_PORT=3988
NGINX_PORT=3989
cleanup() {
  kill "$APP_PID" 2>/dev/null || true
  [ -f "$DIR/nginx.pid" ] && kill "$(cat "$DIR/nginx.pid")" 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$DIR/bench.db" BIZOSAAS_ADDR="127.0.0.1:$APP_PORT" RUST_LOG=warn
./target/release/bizosaas seed --demo >/dev/null
python3 bench/home_page.py "$DIR/bench.db"
# 500 copies of acme, for first renders at the end (bench/uncached.py).
python3 bench/scale_tenants.py 500 "$DIR/bench.db" >/dev/null
./target/release/bizosaas serve & APP_PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$APP_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

HOST="acme.localhost:$APP_PORT"
curl -fs -H "Host: $HOST" "http://127.0.0.1:$APP_PORT/" > "$DIR/index.html"
printf 'home page: %s bytes HTML, %s bytes gzip, CSS %s bytes\n' \
  "$(wc -c < "$DIR/index.html")" "$(gzip -9 -c "$DIR/index.html" | wc -c)" \
  "$(cat target/site/pkg/bizosaas.*.css 2>/dev/null | wc -c)"

cat > "$DIR/nginx.conf" <<CONF
worker_processes 2;
pid $DIR/nginx.pid;
error_log $DIR/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $DIR;
    location / { try_files /index.html =404; default_type text/html; }
  }
}
CONF
# nginx workers run as another user: let them read the copy.
chmod 755 "$DIR" && chmod 644 "$DIR/index.html"
/usr/sbin/nginx -c "$DIR/nginx.conf" -p "$DIR"

echo
echo "== bizosaas, cached page (wrk -t2 -c50 -d15s)"
wrk -t2 -c50 -d15s --latency -H "Host: $HOST" "http://127.0.0.1:$APP_PORT/" | grep -E "Requests/sec|50%|99%|Socket errors|Non-2xx"
echo "server peak memory: $(grep VmHWM /proc/$APP_PID/status | awk '{print $2 " " $3}')"
echo
echo "== nginx, the same HTML as a static file (wrk -t2 -c50 -d15s)"
wrk -t2 -c50 -d15s --latency "http://127.0.0.1:$NGINX_PORT/" | grep -E "Requests/sec|50%|99%|Socket errors|Non-2xx"
echo
echo "== bizosaas, first (uncached) render: 500 tenants' home pages, one request each"
python3 bench/uncached.py "$APP_PORT"
