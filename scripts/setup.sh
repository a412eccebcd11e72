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
if ! cargo leptos --version 2>/dev/null | grep -q ' 0\.3\.10'; then
  # 0.3.11 needs a newer rustc; the overrides make the install ~35% faster.
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install cargo-leptos --locked --version 0.3.10
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
