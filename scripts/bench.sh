#!/usr/bin/env bash
# Benchmarks the portal against raw Meilisearch on the same data in the same run (`make bench`): writes BENCH_N
# synthetic vacancies into a database of its own, then times (a) a full index rebuild from PostgreSQL against raw
# document adds of the same documents and (b) the /jobs page and the JSON API against the same multi-search sent
# straight to Meilisearch. Prints p50/p95 and the ratios, and writes them as markdown to bench-results/latest.md for
# the README's performance section. Then (c) a BENCH_N-job Indeed XML feed from a local server to searchable:
# `portal feeds run` as a process of its own (its peak RSS reported), then the outbox sync jobs drained by the River
# workers, against raw Meilisearch indexing of the same documents. The driver is internal/benchmark; nothing here
# runs under `make test`.
#
# Everything it touches is its own: the databases portal_bench and portal_bench_feed (dropped and created again, so
# every run starts clean), a Meilisearch named bench on 127.0.0.1:BENCH_MEILI_PORT with an empty data folder
# (stopped on exit), and indexes under the prefix bench_.
#
#   scripts/bench.sh [DRIVER FLAGS]   e.g. -rounds 5; `go run ./internal/benchmark/cmd/bench -h` lists them
#
# Env: BENCH_N (vacancies, default 50000; BENCH_N=2000 for a quick run while developing),
#      BENCH_INDEX_RUNS (timed builds on each side, default 3; 0 times search only, for iterating on page speed),
#      BENCH_ROUNDS (timed passes over the queries, default 20),
#      BENCH_SEARCH (0 skips (a) and (b), for iterating on the feed phase), BENCH_FEED (0 skips (c)),
#      BENCH_FEED_SOURCE (http, the default, or file: the run reads the document from disk, without the fetcher's
#      two-minute limit on an HTTP response),
#      BENCH_CPUPROFILE (write a CPU profile of the search timings to this file, e.g. bench-results/cpu.pprof),
#      BENCH_MEILI_PORT (default 7703), MEILI_MASTER_KEY (default: the development key),
#      BENCH_ADMIN_URL (a PostgreSQL URL to create the database from,
#      default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

port="${BENCH_MEILI_PORT:-7703}"
admin_url="${BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
db_name=portal_bench
feed_db_name=portal_bench_feed

fail() { echo "bench: $*" >&2; exit 1; }
[[ "${BENCH_N:-50000}" =~ ^[1-9][0-9]*$ ]] || fail "BENCH_N must be a positive whole number (got '${BENCH_N:-}')"
command -v psql >/dev/null || fail "psql not found; install postgresql-client (apt-get install -y postgresql-client)"

bash scripts/ensure-postgres.sh "$admin_url"
bash scripts/ensure-meili.sh >/dev/null

echo "bench: recreating database $db_name" >&2
psql -X -q -v ON_ERROR_STOP=1 "$admin_url" \
	-c "DROP DATABASE IF EXISTS $db_name WITH (FORCE)" \
	-c "CREATE DATABASE $db_name"
base="${admin_url%%\?*}"
query=""
[[ "$admin_url" == *\?* ]] && query="?${admin_url#*\?}"
export DATABASE_URL="${base%/*}/$db_name$query"
if [ "${BENCH_FEED:-1}" != 0 ]; then
	echo "bench: recreating database $feed_db_name" >&2
	psql -X -q -v ON_ERROR_STOP=1 "$admin_url" \
		-c "DROP DATABASE IF EXISTS $feed_db_name WITH (FORCE)" \
		-c "CREATE DATABASE $feed_db_name"
	export BENCH_FEED_DATABASE_URL="${base%/*}/$feed_db_name$query"
fi

# A clean engine each run: no indexes or task history left from the last one.
export MEILI_MASTER_KEY="${MEILI_MASTER_KEY:-portal-dev-master-key-0123456789}"
bash scripts/meili.sh stop bench >/dev/null
rm -rf .cache/meili/bench/data
trap 'bash scripts/meili.sh stop bench >/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash scripts/meili.sh start bench "$port" >&2
export MEILI_URL="http://127.0.0.1:$port"
export MEILI_INDEX_PREFIX=bench_
export LOG_LEVEL=warn
BENCH_MEILI_PID="$(cat .cache/meili/bench/pid 2>/dev/null || true)"
export BENCH_MEILI_PID

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
	commit="$commit (with uncommitted changes)"
fi
export BENCH_COMMIT="${BENCH_COMMIT:-$commit}"

mkdir -p bench-results
go run ./internal/benchmark/cmd/bench -out bench-results/latest.md "$@"
