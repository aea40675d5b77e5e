#!/usr/bin/env bash
# One command for the benchmark of issue #5: installs wrk (Debian) and PostGraphile's
# packages when missing, builds the release binaries, runs every scenario and writes
# bench/REPORT.md. Arguments go to `passerelle-bench run` (e.g. --scales 1,10).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v wrk >/dev/null; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if [ ! -e bench/peer/node_modules/postgraphile/package.json ]; then
  (cd bench/peer && npm ci --no-audit --no-fund)
fi
cargo build --release --locked -p passerelle -p passerelle-bench
exec target/release/passerelle-bench run "$@"
