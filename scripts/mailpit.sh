#!/usr/bin/env bash
# Runs a local Mailpit (SMTP server + web UI that keeps every message) in the background, one instance per NAME, all
# state under .cache/mailpit/NAME/. `make run` starts NAME=dev so the portal's mail can be read in a browser.
#
#   scripts/mailpit.sh start NAME SMTP_PORT HTTP_PORT   start with SMTP on 127.0.0.1:SMTP_PORT and the web UI and API
#                                                       on 127.0.0.1:HTTP_PORT, and wait until both answer; a no-op
#                                                       when this NAME already runs healthy on those ports
#   scripts/mailpit.sh stop NAME                        stop it (by the pid it recorded); a no-op when not running
#   scripts/mailpit.sh status NAME                      print whether it runs; exit 0 when running healthy, 1 otherwise
#
# Mail is kept in .cache/mailpit/NAME/mailpit.db across restarts (Mailpit keeps the newest 500 messages).
# Tests do not use this script: internal/mail/mailtest starts a Mailpit of their own on free ports.
#
# Env: MAILPIT_START_TIMEOUT (seconds to wait for it to answer, default 30).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
timeout="${MAILPIT_START_TIMEOUT:-30}"

usage() { echo "usage: $0 start NAME SMTP_PORT HTTP_PORT | stop NAME | status NAME" >&2; exit 2; }
fail() { echo "mailpit: $*" >&2; exit 1; }

cmd="${1:-}"
name="${2:-}"
[ -n "$cmd" ] && [ -n "$name" ] || usage
[[ "$name" =~ ^[A-Za-z0-9_-]+$ ]] || fail "NAME must be letters, digits, - or _ (got '$name')"
state="$root/.cache/mailpit/$name"
pidfile="$state/pid"
portsfile="$state/ports" # "SMTP_PORT HTTP_PORT"
logfile="$state/log"
database="$state/mailpit.db"

# our_pid prints the recorded pid when that process is alive and is the Mailpit started for this NAME (checked
# against its command line, so a recycled pid is never mistaken for ours).
our_pid() {
	local pid
	[ -f "$pidfile" ] || return 1
	pid="$(cat "$pidfile")"
	[[ "$pid" =~ ^[0-9]+$ ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "--database $database " || return 1
	echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# healthy SMTP_PORT HTTP_PORT: Mailpit's API says it is ready and its SMTP port takes connections.
healthy() { curl -fsS --max-time 2 -o /dev/null "http://127.0.0.1:$2/readyz" 2>/dev/null && port_in_use "$1"; }

# is_mailpit HTTP_PORT: whatever answers on HTTP_PORT is a Mailpit (its info API names its database).
is_mailpit() { curl -fsS --max-time 2 "http://127.0.0.1:$1/api/v1/info" 2>/dev/null | grep -q '"Database"'; }

valid_port() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }

do_stop() {
	local pid i
	if ! pid="$(our_pid)"; then
		rm -f "$pidfile"
		echo "mailpit $name: not running"
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
	echo "mailpit $name: stopped (pid $pid)"
}

do_status() {
	local pid ports
	if pid="$(our_pid)"; then
		read -r -a ports <"$portsfile" 2>/dev/null || ports=(? ?)
		if healthy "${ports[0]}" "${ports[1]}"; then
			echo "mailpit $name: running, pid $pid, SMTP 127.0.0.1:${ports[0]}, web http://127.0.0.1:${ports[1]}, healthy"
			return 0
		fi
		echo "mailpit $name: running, pid $pid, ports ${ports[*]}, NOT healthy (log: $logfile)"
		return 1
	fi
	echo "mailpit $name: not running"
	return 1
}

do_start() {
	local smtp="$1" http="$2" bin pid i
	valid_port "$smtp" || fail "SMTP_PORT must be a port number (got '$smtp')"
	valid_port "$http" || fail "HTTP_PORT must be a port number (got '$http')"
	[ "$smtp" != "$http" ] || fail "SMTP_PORT and HTTP_PORT must differ (both $smtp)"

	if pid="$(our_pid)"; then
		if [ "$(cat "$portsfile" 2>/dev/null)" = "$smtp $http" ] && healthy "$smtp" "$http"; then
			echo "mailpit $name: already running, pid $pid, SMTP 127.0.0.1:$smtp, web http://127.0.0.1:$http"
			return 0
		fi
		do_stop >/dev/null
	fi
	if port_in_use "$smtp" || port_in_use "$http"; then
		# Reuse a healthy Mailpit that someone else started on these ports: the mail ends up readable either way.
		if healthy "$smtp" "$http" && is_mailpit "$http"; then
			echo "mailpit $name: reusing the Mailpit already on SMTP 127.0.0.1:$smtp, web http://127.0.0.1:$http (not started as mailpit $name)"
			return 0
		fi
		fail "port $smtp or $http on 127.0.0.1 is taken by another process; stop it or choose other ports"
	fi

	bin="$("$root/scripts/ensure-mailpit.sh")"
	mkdir -p "$state"
	: >"$logfile"
	# Run from the state folder so nothing Mailpit writes relative to its cwd lands in the repo. setsid puts it in
	# its own session, so a Ctrl-C to `make run` leaves it running for the next run to reuse.
	(
		cd "$state"
		exec setsid "$bin" \
			--smtp "127.0.0.1:$smtp" \
			--listen "127.0.0.1:$http" \
			--database "$database" \
			--disable-version-check \
			--smtp-disable-rdns \
			</dev/null >>"$logfile" 2>&1
	) &
	pid=$!
	echo "$pid" >"$pidfile"
	echo "$smtp $http" >"$portsfile"

	for ((i = 0; i < timeout * 5; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "mailpit $name: exited during start-up; last lines of $logfile:" >&2
			tail -n 20 "$logfile" >&2
			rm -f "$pidfile"
			exit 1
		fi
		if healthy "$smtp" "$http"; then
			echo "mailpit $name: started, pid $pid, SMTP 127.0.0.1:$smtp, web http://127.0.0.1:$http (log: $logfile)"
			return 0
		fi
		sleep 0.2
	done
	echo "mailpit $name: did not answer within ${timeout}s; last lines of $logfile:" >&2
	tail -n 20 "$logfile" >&2
	do_stop >/dev/null
	exit 1
}

case "$cmd" in
start) [ $# -eq 4 ] || usage; do_start "$3" "$4" ;;
stop) [ $# -eq 2 ] || usage; do_stop ;;
status) [ $# -eq 2 ] || usage; do_status ;;
*) usage ;;
esac
