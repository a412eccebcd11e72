#!/bin/sh
# Installs what `make run` needs (and with `test`, what `make test` needs), skipping
# whatever is already installed. Versions: ../shared/TOOLCHAIN.md and the README.
set -eu
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  rustup target add wasm32-unknown-unknown
fi
# cargo-leptos 0.3.10 (0.3.11 needs a newer rustc), from its own lockfile but with the
# WASM splitter at 0.2.4: 0.2.3 kept all the app's static data in the main module
# (tail-merged strings shared by two chunks made the relocated data "overlong"), 50 KB
# of brotli on the dashboard's first load. `cargo install --list` names the folder built.
LEPTOS_BUILD=target/tools/cargo-leptos-0.3.10+wasm-split-0.2.4
if ! cargo install --list | grep -q '^cargo-leptos v0\.3\.10 (.*wasm-split-0\.2\.4)'; then
  rm -rf "$LEPTOS_BUILD" target/tools/fetch
  # The crate's source, as cargo downloads it for a package that depends on it.
  mkdir -p target/tools/fetch/src
  printf '[package]\nname = "fetch"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\ncargo-leptos = "=0.3.10"\n[workspace]\n' \
    > target/tools/fetch/Cargo.toml
  touch target/tools/fetch/src/lib.rs
  cargo fetch --manifest-path target/tools/fetch/Cargo.toml
  cp -r "$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/cargo-leptos-0.3.10 | head -n 1)" "$LEPTOS_BUILD"
  # A workspace of its own, not a member of ours.
  printf '\n[workspace]\n' >> "$LEPTOS_BUILD/Cargo.toml"
  cargo update --manifest-path "$LEPTOS_BUILD/Cargo.toml" -p rayon --precise 1.12.0
  cargo update --manifest-path "$LEPTOS_BUILD/Cargo.toml" -p wasm_split_cli_support --precise 0.2.4
  # The overrides make the install ~35% faster.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --force --path "$LEPTOS_BUILD"
  # Its 1.6 GB of build output is not needed once installed (a CI disk can be tight).
  rm -rf "$LEPTOS_BUILD/target" target/tools/fetch
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q ' 0\.2\.130'; then
  # Must equal the wasm-bindgen crate version; --locked fails against this registry.
  cargo install wasm-bindgen-cli --version 0.2.130
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # Exactly what the lockfile says, and the lockfile is never rewritten: the two README
  # commands leave the checkout as it was.
  npm ci --no-audit --no-fund
fi

# The site fonts are served from our own host; the build copies public/ into the site.
mkdir -p public/fonts
for font in inter merriweather jetbrains-mono nunito; do
  for weight in 400 700; do
    file="$font-latin-$weight-normal.woff2"
    [ -f "public/fonts/$file" ] || cp "node_modules/@fontsource/$font/files/$file" public/fonts/
  done
done

if [ "${1:-}" = test ]; then
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
  if [ -n "$missing" ]; then
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
  fi
fi
