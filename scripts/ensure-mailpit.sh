#!/usr/bin/env bash
# Installs the pinned Mailpit (a local SMTP server that keeps every message, with a web UI and an API) as
# .cache/bin/mailpit, for `make run` and the tests (internal/mail/mailtest).
#
# It is built from source with `go install github.com/axllent/mailpit@VERSION`: the Go module proxy and checksum
# database vouch for the source, and nothing but Go is needed. The version is stamped in with -ldflags, as Mailpit's
# own release builds do, so `mailpit version` reports it (a plain go install says "dev"). A second run only checks
# the version and returns. The first build takes a minute or two.
#
# Prints the binary's path on success. Env: MAILPIT_VERSION (default v1.33.1).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${MAILPIT_VERSION:-v1.33.1}"
module="github.com/axllent/mailpit"
bin="$root/.cache/bin/mailpit"
work="$root/.cache/mailpit"

fail() { echo "ensure-mailpit: $*" >&2; exit 1; }

# has_version BIN: true when BIN runs and reports exactly $version. Its first line is "BIN VERSION compiled with ...".
has_version() {
	local out
	[ -x "$1" ] || return 1
	out="$("$1" version --no-release-check 2>/dev/null)" || return 1
	out="${out%%$'\n'*}"
	out="${out#"$1" }"
	[ "${out%% *}" = "$version" ]
}

if has_version "$bin"; then
	echo "$bin"
	exit 0
fi

[[ "$version" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "MAILPIT_VERSION must look like v1.33.1 (got '$version')"
command -v go >/dev/null || fail "go is not installed; it is needed to build Mailpit $version"

mkdir -p "$work" "$(dirname "$bin")"
# Serialise installs: `make run` and `make test` may both get here at once.
exec 9>"$work/.install.lock"
command -v flock >/dev/null && flock 9
if has_version "$bin"; then
	echo "$bin"
	exit 0
fi

echo "ensure-mailpit: building Mailpit $version with go install (a minute or two)" >&2
tmp="$(mktemp -d "$work/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log="$work/go-install.log"
# Built from an empty folder with GOFLAGS and GOWORK cleared, so neither the portal's go.mod nor a flag meant for it
# (GOFLAGS=-mod=vendor makes go install refuse) applies.
if ! (cd "$tmp" && GOBIN="$tmp" GOFLAGS= GOWORK=off go install -trimpath \
	-ldflags "-s -w -X $module/config.Version=$version" "$module@$version") >"$log" 2>&1; then
	fail "go install $module@$version failed: $(grep -v -m1 '^go: downloading' "$log" || tail -n1 "$log") (full log: $log)"
fi
has_version "$tmp/mailpit" ||
	fail "the built mailpit reports '$("$tmp/mailpit" version --no-release-check 2>&1 | head -n1)', want $version"
mv -f "$tmp/mailpit" "$bin"
echo "$bin"
