#!/bin/sh
# Every check `make test` runs: formatting, lints for both builds, unit and integration
# tests on SQLite and PostgreSQL, then the browser tests in Chromium.
set -eu
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (server build, ssr)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (browser build, hydrate)"
cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "PostgreSQL for the tests"
BIZOSAAS_TEST_POSTGRES_URL=$(scripts/test-postgres.sh start)
export BIZOSAAS_TEST_POSTGRES_URL
trap 'scripts/test-postgres.sh stop' EXIT INT TERM

step "unit and integration tests (SQLite and PostgreSQL)"
cargo test --workspace

step "build the site for the browser tests"
cargo leptos build --split

step "browser tests (Chromium)"
node --test --test-concurrency=1 end2end/tests/
