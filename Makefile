# The README's two commands, `make run` and `make test`, and a few helpers.
# Each installs what it needs first (scripts/setup.sh skips what is already there).

BIN := ./target/release/bizosaas

.PHONY: run test dev setup build lint clean bench bench-editor bench-dashboard bench-sse bench-signup bench-images bench-scale bench-sse-postgres

run: setup
	cargo leptos build --release --split
	$(BIN) migrate
	$(BIN) seed --demo
	$(BIN) serve

test:
	scripts/setup.sh test
	scripts/test.sh

## Rebuilds and restarts on every change (debug build).
dev: setup
	cargo leptos watch --split

setup:
	scripts/setup.sh

build: setup
	cargo leptos build --release --split

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings

## Load test of a tenant page against nginx (see docs/performance.md).
bench: setup
	bench/site.sh

# The page editor with 60 blocks: typing lag and save time (debug build, as the browser tests).
bench-editor: setup
	cargo leptos build --split
	node bench/editor.mjs

# The dashboard's first load and the 60-block editor on a throttled line, cold cache
# (release build; docs/performance.md).
bench-dashboard: setup
	cargo leptos build --release --split
	node bench/dashboard-load.mjs

# Thousands of tenants with cold caches against a minimal floor server (docs/performance.md).
bench-scale: setup
	bench/scale.sh

# Peak memory of resizing eight 40-megapixel uploads at once (docs/performance.md).
bench-images:
	cargo run --release -p server --example image_memory

# From the sign-up form to a built, live site: 10 new businesses (docs/performance.md).
bench-signup: setup
	cargo leptos build --release --split
	node bench/signup.mjs

clean:
	cargo clean
	rm -rf node_modules

# The live feed under load: 1,000 then 10,000 SSE streams, 1,000 events/s, on SQLite; then
# two processes on PostgreSQL, raising the rate to the ceiling (docs/performance.md).
bench-sse: setup
	cargo build --release -p server --bin bizosaas
	cargo build --release -p bench-sse
	./target/release/bench-sse --connections 1000 --tenants 100 --rate 1000 --seconds 20
	./target/release/bench-sse --connections 10000 --tenants 1000 --rate 1000 --seconds 20
	bench/sse-postgres.sh

bench-sse-postgres: setup
	cargo build --release -p server --bin bizosaas
	cargo build --release -p bench-sse
	bench/sse-postgres.sh
