#!/usr/bin/env bash
# Checks that PostgreSQL accepts connections; starts the local Debian cluster when it does not and can.
#
#   scripts/ensure-postgres.sh [URL]
#
# URL defaults to $DATABASE_URL, else the local server postgres://postgres@127.0.0.1:5432/postgres. Only a server on
# this machine (127.0.0.1 / localhost) is ever started, with pg_ctlcluster, as on the project's machines.
set -euo pipefail

url="${1:-${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}}"

fail() { echo "ensure-postgres: $*" >&2; exit 1; }

command -v pg_isready >/dev/null || fail "pg_isready not found; install postgresql-client (apt-get install -y postgresql)"

ready() { pg_isready -q -t 2 -d "$url" >/dev/null 2>&1; }

ready && exit 0

case "$url" in
*@127.0.0.1[:/]* | *@localhost[:/]* | *//127.0.0.1[:/]* | *//localhost[:/]*) ;;
*) fail "PostgreSQL at ${url%%\?*} does not accept connections (not local, so not starting it)" ;;
esac
command -v pg_ctlcluster >/dev/null ||
	fail "PostgreSQL on 127.0.0.1 does not accept connections and pg_ctlcluster is not installed to start it"
version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n1)"
[ -n "$version" ] || fail "PostgreSQL does not accept connections and /etc/postgresql has no cluster to start"

echo "ensure-postgres: starting PostgreSQL $version cluster main" >&2
if ! out="$(pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>&1)"; then
	case "$out" in
	*"already running"*) fail "cluster $version/main is running but ${url%%\?*} does not accept connections" ;;
	*) fail "pg_ctlcluster $version main start failed: $(echo "$out" | tail -n1)" ;;
	esac
fi
for _ in $(seq 1 60); do
	ready && exit 0
	sleep 0.5
done
fail "started cluster $version/main but it does not accept connections after 30s (see /var/log/postgresql/)"
