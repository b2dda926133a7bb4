#!/usr/bin/env bash
# Runs the whole test suite the way CI does (`make test`, `.ci/run`): checks or starts PostgreSQL, installs the
# pinned Meilisearch and Mailpit and Debian's Chromium when missing, installs the root npm packages (axe-core) when
# stale, starts an empty Meilisearch for the tests, then `go vet` and `go test`. The test Meilisearch is stopped on
# exit, whether the tests pass or not. Tests that send mail start their own Mailpit (internal/mail/mailtest) from
# MAILPIT_BIN on free ports.
#
# Env: MEILI_TEST_PORT (default 7701), MEILI_MASTER_KEY (default: the development key),
#      TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable),
#      GO_TEST_FLAGS (extra flags for go test, e.g. -run or -v),
#      FUZZTIME (how long each Fuzz target runs after the tests, as -fuzztime takes it; default 20000x under CI=true,
#      none otherwise).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

meili_port="${MEILI_TEST_PORT:-7701}"
export MEILI_URL="http://127.0.0.1:$meili_port"
export MEILI_MASTER_KEY="${MEILI_MASTER_KEY:-portal-dev-master-key-0123456789}"
export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
# Each Fuzz target also runs this long after the tests: 10s under CI=true unless set.
FUZZTIME="${FUZZTIME:-}"
# A count, not a duration: Go 1.26's fuzz coordinator can fail a timed run with "context deadline
# exceeded" at the end (golang/go#75804).
if [ -z "$FUZZTIME" ] && [ "${CI:-}" = "true" ]; then FUZZTIME=20000x; fi

bash scripts/ensure-postgres.sh "$TEST_DATABASE_URL"
bash scripts/ensure-meili.sh >/dev/null
MAILPIT_BIN="$(bash scripts/ensure-mailpit.sh)"
export MAILPIT_BIN
bash scripts/ensure-chromium.sh

# Root npm packages (axe-core for the browser tests): npm ci when node_modules is missing or older than the lockfile.
if [ -f package.json ]; then
	[ -f package-lock.json ] || { echo "test: package.json has no package-lock.json; run npm install and commit it" >&2; exit 1; }
	if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
		echo "test: npm ci (root)" >&2
		npm ci --no-audit --no-fund --loglevel=error
	fi
fi

trap 'bash scripts/meili.sh stop test >/dev/null || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
bash scripts/meili.sh start test "$meili_port"

echo "test: go vet ./..." >&2
go vet ./...
echo "test: go test (MEILI_URL=$MEILI_URL)" >&2
# shellcheck disable=SC2086 # GO_TEST_FLAGS is a list of flags
go test -p 2 -count=1 -timeout 30m ${GO_TEST_FLAGS:-} ./...

if [ -n "$FUZZTIME" ]; then
	for pkg in $(go list ./...); do
		for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
			echo "test: fuzz $pkg $target for $FUZZTIME" >&2
			go test -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" "$pkg"
		done
	done
fi
