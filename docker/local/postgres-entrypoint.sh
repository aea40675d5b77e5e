#!/bin/bash
# Creates the cluster and the database on first start (POSTGRES_USER, POSTGRES_DB), then
# runs PostgreSQL in the foreground on PGPORT (default 5432).
set -euo pipefail
user="${POSTGRES_USER:-postgres}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    initdb --auth=trust --username="$user" >/dev/null
    if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != postgres ]; then
        echo "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$user\"" |
            postgres --single -D "$PGDATA" postgres >/dev/null
    fi
fi
exec postgres -c listen_addresses='*' -p "${PGPORT:-5432}"
