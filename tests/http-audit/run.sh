#!/usr/bin/env bash
# GraphQL-over-HTTP conformance audit (npm graphql-http) against a running
# passerelle server. Usage: tests/http-audit/run.sh http://127.0.0.1:PORT/graphql
# Exit code: 0 if every MUST audit passes, 1 if any fails, 2 on bad usage.
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"

if [ "$#" -ne 1 ]; then
  echo "usage: $0 http://127.0.0.1:PORT/graphql" >&2
  exit 2
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "run.sh: node and npm are required (node >= 18, for the global fetch)" >&2
  exit 2
fi

if [ ! -d "$here/node_modules/graphql-http" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi

exec node "$here/audit.mjs" "$1"
