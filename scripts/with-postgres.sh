#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL 15: a fresh cluster in a temporary folder, started
# as the `postgres` system user (PostgreSQL refuses to run as root) on a Unix socket only, and
# removed afterwards whatever the command's outcome.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/system-packages.sh" postgresql-15

bin=/usr/lib/postgresql/15/bin
dir=$(mktemp -d /tmp/liaison-pg.XXXXXX)
chown postgres:postgres "$dir"
chmod 700 "$dir"
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Fast and not durable (fsync off), for tests; LIAISON_PG_DURABLE=1 keeps PostgreSQL's durable
# defaults (fsync, synchronous_commit, full_page_writes on), as a deployment runs it.
fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
if [ "${LIAISON_PG_DURABLE:-}" = 1 ]; then fast=""; fi
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
  "-c listen_addresses='' -k $dir $fast -c max_connections=200" \
  start >/dev/null
as_postgres "$bin/createdb" -h "$dir" -U postgres liaison

export DATABASE_URL="postgres://postgres@/liaison?host=$dir"
echo "PostgreSQL 15 on $dir${fast:+ (fsync off)}"
"$@"
