#!/usr/bin/env bash
# Install and start a throw-away PostgreSQL for the store tests (Debian/Ubuntu, run as root).
# Prints one line for `eval "$(.ci/postgres.sh)"`:  export NIANBAO_TEST_PG=postgresql+psycopg://…
# Idempotent: an existing installation, cluster, user or database is reused.
set -euo pipefail

PG_USER=${PG_USER:-nianbao}
PG_PASS=${PG_PASS:-nianbao}
PG_DB=${PG_DB:-nianbao_test}
PG_PORT=${PG_PORT:-5432}

log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  log "installing postgresql (apt)"
  export DEBIAN_FRONTEND=noninteractive
  for i in 1 2 3 4 5 6 7 8 9 10; do          # another apt may hold the lock: wait and retry
    if apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2; then break; fi
    log "apt busy, retrying in 15 s ($i)"; sleep 15
  done
fi
command -v pg_ctlcluster >/dev/null 2>&1 || { log "postgresql could not be installed"; exit 1; }

VERSION=$(ls /usr/lib/postgresql | sort -V | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  log "creating cluster $VERSION/main"
  pg_createcluster "$VERSION" main --port "$PG_PORT" >&2
fi
if ! pg_lsclusters -h | awk '$1=="'"$VERSION"'" && $2=="main" {print $4}' | grep -q online; then
  log "starting cluster $VERSION/main"
  pg_ctlcluster "$VERSION" main start >&2
fi
PORT=$(pg_lsclusters -h | awk '$1=="'"$VERSION"'" && $2=="main" {print $3}')

for i in $(seq 1 30); do
  su postgres -c "psql -p $PORT -qAtc 'select 1'" >/dev/null 2>&1 && break; sleep 1
done

psql_su() { su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -qAt $*"; }
if [ "$(psql_su "-c \"select 1 from pg_roles where rolname='$PG_USER'\"")" != "1" ]; then
  psql_su "-c \"create user $PG_USER with password '$PG_PASS' createdb\"" >&2
fi
if [ "$(psql_su "-c \"select 1 from pg_database where datname='$PG_DB'\"")" != "1" ]; then
  psql_su "-c \"create database $PG_DB owner $PG_USER encoding 'UTF8' template template0\"" >&2
fi
echo "export NIANBAO_TEST_PG=postgresql+psycopg://$PG_USER:$PG_PASS@localhost:$PORT/$PG_DB"
