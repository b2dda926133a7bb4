#!/usr/bin/env bash
# Copies the NHS.UK frontend files the site serves from node_modules into static/vendor/nhsuk/.
#
# The copies are committed, so `go build` and `go test` need no npm step; run this after changing the
# nhsuk-frontend version in package.json (then `npm install` to update package-lock.json) and commit the
# result. static's TestVendorCopyMatchesNpmPackage fails when the committed copy and the pinned package differ.
#
# Copied verbatim: the minified CSS, the ES module JS bundle, and the icons the CSS refers to by URL.
# Not copied, on purpose: the NHS logo favicons and Open Graph image (NHS identity, for NHS organisations only)
# and any fonts (the package ships none: its CSS loads Frutiger from an NHS host, a font licensed to NHS
# organisations; the static package drops those @font-face rules when it serves the CSS, so text falls back
# to Arial).
#
# Idempotent: `npm ci` runs only when node_modules is missing or older than package-lock.json, and files are
# rewritten only when their content changed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

pkg=node_modules/nhsuk-frontend
src="$pkg/dist/nhsuk"
dest=static/vendor/nhsuk
stamp=node_modules/.portal-lock.sha256

lock_hash="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
if [[ ! -d "$pkg" || ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
	npm ci --ignore-scripts --no-audit --no-fund
	printf '%s\n' "$lock_hash" >"$stamp"
fi

want="$(node -p 'require("./package.json").dependencies["nhsuk-frontend"]')"
have="$(node -p 'require("./'"$pkg"'/package.json").version')"
if [[ "$want" != "$have" ]]; then
	echo "build-assets: package.json pins nhsuk-frontend $want but $pkg is $have; run npm install to update the lock" >&2
	exit 1
fi

# Files to ship, relative to $src. The CSS refers to its icons as url(/assets/images/NAME).
files=(nhsuk-frontend.min.css nhsuk-frontend.min.js)
while IFS= read -r image; do
	files+=("$image")
done < <(grep -oE "url\([\"']?/assets/images/[^)\"']+" "$src/nhsuk-frontend.min.css" |
	sed -E "s#^url\([\"']?/##" | sort -u)

changed=0
for f in "${files[@]}"; do
	if ! cmp -s "$src/$f" "$dest/$f"; then
		mkdir -p "$(dirname "$dest/$f")"
		cp "$src/$f" "$dest/$f"
		changed=$((changed + 1))
	fi
done

# The npm package ships no licence file (package.json says MIT); static/vendor/nhsuk/LICENSE is committed by
# hand from the upstream repository. Take the package's own if a later version ships one.
for licence in LICENSE LICENSE.md LICENCE LICENCE.md; do
	if [[ -f "$pkg/$licence" ]] && ! cmp -s "$pkg/$licence" "$dest/LICENSE"; then
		cp "$pkg/$licence" "$dest/LICENSE"
		changed=$((changed + 1))
	fi
done

# Remove files a previous version shipped and this one does not.
removed=0
while IFS= read -r -d '' existing; do
	rel="${existing#"$dest"/}"
	case "$rel" in LICENSE | README.md) continue ;; esac
	keep=0
	for f in "${files[@]}"; do
		if [[ "$f" == "$rel" ]]; then
			keep=1
			break
		fi
	done
	if [[ $keep == 0 ]]; then
		rm "$existing"
		removed=$((removed + 1))
	fi
done < <(find "$dest" -type f -print0)
find "$dest" -mindepth 1 -type d -empty -delete

echo "build-assets: nhsuk-frontend $have: ${#files[@]} files in $dest ($changed updated, $removed removed)"
