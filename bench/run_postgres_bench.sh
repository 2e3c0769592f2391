#!/usr/bin/env bash
# The catalog on PostgreSQL (issue 16): fills a library of ROWS synthetic photos through Catalog::record
# (the scan's own write path: photos per second is the write throughput), then times a page of query
# results plus facets, 10 times each matching afresh, for a tag, a date-range and a tag+year query (target:
# under 200 ms median over 1 000 000 photos). The library lives in a throwaway PostgreSQL 15 server in a
# temporary folder, listening on a Unix socket only (as `nobody` when run as root, since PostgreSQL
# refuses root), stopped and removed at exit. Compare with bench/run_catalog_bench.sh (SQLite, 100 000).
#
# Usage:  bash bench/run_postgres_bench.sh [ROWS]     (default 1000000; about 10 min on 2 cores)
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=${1:-1000000}
RUNS=${PG_BENCH_RUNS:-10}
PGBIN=${LIGHTBOX_TEST_PG_BIN:-/usr/lib/postgresql/15/bin}
log() { echo "bench: $*" >&2; }
[ -x "$PGBIN/initdb" ] || { log "no PostgreSQL server binaries in $PGBIN (Debian's postgresql-15)"; exit 1; }

log "building (default preset)"
cmake --preset default -S "$REPO" >/dev/null
cmake --build "$REPO/build" --parallel "$(nproc)" --target lightbox-bench-catalog >/dev/null
BENCH=$REPO/build/bin/lightbox-bench-catalog

WORK=$(mktemp -d /tmp/lightbox-pg-bench.XXXXXX)
chmod 755 "$WORK"
as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}
[ "$(id -u)" = 0 ] && chown nobody "$WORK"
stop() {
  as_server_user "$PGBIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop EXIT
as_server_user "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 >/dev/null
as_server_user "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w \
  -o "-c listen_addresses='' -c unix_socket_directories='$WORK' -c shared_buffers=256MB -c work_mem=64MB" start >/dev/null
"$PGBIN/psql" -h "$WORK" -U postgres -q -c "CREATE DATABASE bench" postgres
log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') in $WORK; $ROWS photos"
"$BENCH" queries "postgresql:///bench?host=$WORK&user=postgres" --rows "$ROWS" --runs "$RUNS" --limit 200
