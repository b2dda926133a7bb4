#!/usr/bin/env bash
# Runs a local Meilisearch in the background, one instance per NAME, all state under .cache/meili/NAME/.
#
#   scripts/meili.sh start NAME PORT   start on 127.0.0.1:PORT and wait until /health answers; a no-op when this
#                                      NAME is already running healthy on PORT. NAME=test always starts empty.
#   scripts/meili.sh stop NAME         stop it (by the pid it recorded); a no-op when it is not running
#   scripts/meili.sh status NAME       print whether it runs; exit 0 when running healthy, 1 otherwise
#
# Env: MEILI_MASTER_KEY (default: the development key portal-dev-master-key-0123456789),
#      MEILI_START_TIMEOUT (seconds to wait for /health, default 30).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
key="${MEILI_MASTER_KEY:-portal-dev-master-key-0123456789}"
timeout="${MEILI_START_TIMEOUT:-30}"

usage() { echo "usage: $0 start NAME PORT | stop NAME | status NAME" >&2; exit 2; }
fail() { echo "meili: $*" >&2; exit 1; }

cmd="${1:-}"
name="${2:-}"
[ -n "$cmd" ] && [ -n "$name" ] || usage
[[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || fail "NAME must be letters, digits, - or _ (got '$name')"
state="$root/.cache/meili/$name"
pidfile="$state/pid"
portfile="$state/port"
logfile="$state/log"

# our_pid prints the recorded pid when that process is alive and is the Meilisearch started for this NAME
# (checked against its command line, so a recycled pid is never mistaken for ours).
our_pid() {
	local pid
	[ -f "$pidfile" ] || return 1
	pid="$(cat "$pidfile")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--db-path $state/data " || return 1
	echo "$pid"
}

healthy() { curl -fsS --max-time 2 "http://127.0.0.1:$1/health" 2>/dev/null | grep -q '"available"'; }

# accepts_key PORT: the server on PORT takes our master key (so the app and tests can use it).
accepts_key() {
	curl -fsS --max-time 2 -H "Authorization: Bearer $key" "http://127.0.0.1:$1/version" >/dev/null 2>&1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

do_stop() {
	local pid i
	if ! pid="$(our_pid)"; then
		rm -f "$pidfile"
		echo "meili $name: not running"
		return 0
	fi
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	rm -f "$pidfile"
	echo "meili $name: stopped (pid $pid)"
}

do_status() {
	local pid port
	if pid="$(our_pid)"; then
		port="$(cat "$portfile" 2>/dev/null || echo '?')"
		if healthy "$port"; then
			echo "meili $name: running, pid $pid, http://127.0.0.1:$port, healthy"
			return 0
		fi
		echo "meili $name: running, pid $pid, port $port, NOT healthy (log: $logfile)"
		return 1
	fi
	echo "meili $name: not running"
	return 1
}

do_start() {
	local port="$1" bin pid i
	[[ "$port" =~ ^[0-9]+$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || fail "PORT must be a number (got '$port')"

	if pid="$(our_pid)"; then
		if [ "$name" != test ] && [ "$(cat "$portfile" 2>/dev/null)" = "$port" ] && healthy "$port" && accepts_key "$port"; then
			echo "meili $name: already running, pid $pid, http://127.0.0.1:$port"
			return 0
		fi
		do_stop >/dev/null
	fi
	if port_in_use "$port"; then
		# Reuse a healthy engine that someone else started here, but never for tests, which need an empty one.
		if [ "$name" != test ] && healthy "$port" && accepts_key "$port"; then
			echo "meili $name: reusing the Meilisearch already on http://127.0.0.1:$port (not started as meili $name)"
			return 0
		fi
		fail "port $port on 127.0.0.1 is taken by another process; stop it or choose another port"
	fi

	bin="$("$root/scripts/ensure-meili.sh")"
	mkdir -p "$state"
	if [ "$name" = test ]; then
		rm -rf "$state/data" "$state/dumps" "$state/snapshots"
	fi
	mkdir -p "$state/data" "$state/dumps" "$state/snapshots"
	: >"$logfile"
	# Run from the state folder so nothing Meilisearch writes relative to its cwd lands in the repo. setsid puts
	# it in its own session, so a Ctrl-C to `make run` leaves it running for the next run to reuse.
	(
		cd "$state"
		exec setsid "$bin" \
			--http-addr "127.0.0.1:$port" \
			--db-path "$state/data" \
			--dump-dir "$state/dumps" \
			--snapshot-dir "$state/snapshots" \
			--master-key "$key" \
			--no-analytics \
			--env development \
			</dev/null >>"$logfile" 2>&1
	) &
	pid=$!
	echo "$pid" >"$pidfile"
	echo "$port" >"$portfile"

	for ((i = 0; i < timeout * 5; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "meili $name: exited during start-up; last lines of $logfile:" >&2
			tail -n 20 "$logfile" >&2
			rm -f "$pidfile"
			exit 1
		fi
		if healthy "$port"; then
			echo "meili $name: started, pid $pid, http://127.0.0.1:$port (log: $logfile)"
			return 0
		fi
		sleep 0.2
	done
	echo "meili $name: /health did not answer within ${timeout}s; last lines of $logfile:" >&2
	tail -n 20 "$logfile" >&2
	do_stop >/dev/null
	exit 1
}

case "$cmd" in
start) [ $# -eq 3 ] || usage; do_start "$3" ;;
stop) [ $# -eq 2 ] || usage; do_stop ;;
status) [ $# -eq 2 ] || usage; do_status ;;
*) usage ;;
esac
