#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests, installing it with apt when missing.
set -euo pipefail

chromium=/usr/bin/chromium

fail() { echo "ensure-chromium: $*" >&2; exit 1; }

[ -x "$chromium" ] && exit 0
[ "$(id -u)" -eq 0 ] || fail "$chromium is missing and installing it needs root: sudo apt-get install -y chromium"
command -v apt-get >/dev/null || fail "$chromium is missing and there is no apt-get to install it"

export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when they do not know the package yet (a fresh machine).
if ! apt-cache policy chromium 2>/dev/null | grep -q 'Candidate: [0-9]'; then
	echo "ensure-chromium: apt-get update" >&2
	apt-get update -qq >/dev/null || fail "apt-get update failed"
fi
echo "ensure-chromium: apt-get install -y chromium" >&2
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
apt-get install -y -qq chromium >"$log" 2>&1 || fail "apt-get install chromium failed: $(tail -n1 "$log")"
[ -x "$chromium" ] || fail "chromium installed but $chromium is missing"
