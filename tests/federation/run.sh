#!/usr/bin/env bash
# Apollo Federation check: composes passerelle's subgraph schema with a second subgraph
# through @apollo/composition. Usage: tests/federation/run.sh SUBGRAPH.graphql
set -euo pipefail
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
if [ "$#" -ne 1 ]; then
  echo "usage: $0 SUBGRAPH.graphql" >&2
  exit 2
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "run.sh: node and npm are required" >&2
  exit 2
fi
if [ ! -d "$here/node_modules/@apollo/composition" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
exec node "$here/compose.mjs" "$1"
