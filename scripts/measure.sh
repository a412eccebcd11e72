#!/bin/sh
# Measures what the README records: WASM size (raw and gzip) of the release build, and
# the release server's idle memory after start-up on a fresh demo database.
# usage: scripts/measure.sh   (after `cargo leptos build --release --split`)
set -eu
cd "$(dirname "$0")/.."
# File names carry a hash of their content (hash-files); there is one of each.
WASM=$(ls target/site/pkg/bizosaas.*.wasm 2>/dev/null | head -n 1)
JS=$(ls target/site/pkg/bizosaas.*.js 2>/dev/null | head -n 1)
BIN=target/release/bizosaas
[ -f "$WASM" ] && [ -x "$BIN" ] || { echo "build first: cargo leptos build --release --split" >&2; exit 1; }

printf 'WASM raw:  %s bytes\n' "$(wc -c < "$WASM")"
printf 'WASM gzip: %s bytes\n' "$(gzip -9 -c "$WASM" | wc -c)"
printf 'JS raw:    %s bytes, gzip %s\n' "$(wc -c < "$JS")" "$(gzip -9 -c "$JS" | wc -c)"
[ -f "$WASM.br" ] && printf 'WASM as served (brotli 11, made at start-up): %s bytes\n' "$(wc -c < "$WASM.br")"
printf 'CSS raw:   %s bytes\n' "$(wc -c < "$(ls target/site/pkg/bizosaas.*.css | head -n 1)")"
printf 'binary:    %s bytes\n' "$(wc -c < "$BIN")"

DIR=$(mktemp -d)
trap 'kill $PID 2>/dev/null || true; rm -rf "$DIR"' EXIT
export DATABASE_URL="sqlite://$DIR/db.sqlite" BIZOSAAS_ADDR=127.0.0.1:3977 RUST_LOG=warn
$BIN seed --demo >/dev/null
$BIN serve & PID=$!
for _ in $(seq 50); do curl -fs http://127.0.0.1:3977/healthz >/dev/null 2>&1 && break; sleep 0.1; done
# One request of each kind, so the numbers include warmed-up paths.
curl -fs -H 'Host: acme.localhost' http://127.0.0.1:3977/ >/dev/null
curl -fs http://127.0.0.1:3977/login >/dev/null
sleep 2
printf 'idle RSS:  %s\n' "$(grep VmRSS /proc/$PID/status | awk '{print $2 " " $3}')"
