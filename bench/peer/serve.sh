#!/usr/bin/env bash
# Start the PostGraphile 5 peer: POST http://$HOST:$PORT/graphql
# Env: DATABASE_URL (required), PORT (default 5678), HOST (default 127.0.0.1),
#      PG_POOL_MAX (default 10).
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x node_modules/.bin/node ] || [ ! -e node_modules/postgraphile/package.json ]; then
  npm ci --no-audit --no-fund >&2
fi
: "${DATABASE_URL:?DATABASE_URL must be set}"
export PORT="${PORT:-5678}" HOST="${HOST:-127.0.0.1}"
export GRAPHILE_ENV="${GRAPHILE_ENV:-production}" NODE_ENV="${NODE_ENV:-production}"
exec node_modules/.bin/node node_modules/.bin/postgraphile \
  -C graphile.config.mjs -n "$HOST" -p "$PORT"
