#!/usr/bin/env bash
# Checks every public page of the portal as a browser and a search engine see it (`make check`):
#   - the Nu HTML Checker (vnu.jar, errors only) on each page's HTML: zero errors;
#   - Lighthouse (performance, accessibility, best practices, SEO) with the desktop preset on every page, and
#     with its default mobile emulation on the pages people land on most (home, search, a vacancy): performance
#     >= 98, accessibility = 100, best practices >= 95, SEO >= 95. SEO is not scored for pages that answer 404 or
#     say noindex (filtered or paged searches, closed vacancies), because Lighthouse marks them down for
#     exactly what they are meant to do.
#
# It builds bin/portal and runs it against a database and a Meilisearch of its own, filled with the demo data:
# PostgreSQL database portal_check (dropped and created again each run, so the demo data's dates are today's),
# Meilisearch "check" on 127.0.0.1:7702, the site on 127.0.0.1:8090. The site and Meilisearch are stopped on
# exit, whether the checks pass or not. It prints a table of scores and one line per failure, and exits 1 when
# any page fails. Takes about 5 minutes on 2 idle cores (15 Lighthouse runs of 12-20 s; more on a busy machine).
#
# Env: CHECK_PORT (default 8090), MEILI_CHECK_PORT (default 7702), MEILI_MASTER_KEY (default: the development
#      key), CHECK_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/portal_check?sslmode=disable),
#      CHROME_PATH (default /usr/bin/chromium), CHECK_MOBILE_ALL=1 to run mobile Lighthouse on every page too.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

port="${CHECK_PORT:-8090}"
meili_port="${MEILI_CHECK_PORT:-7702}"
export DATABASE_URL="${CHECK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/portal_check?sslmode=disable}"
export MEILI_URL="http://127.0.0.1:$meili_port"
export MEILI_MASTER_KEY="${MEILI_MASTER_KEY:-portal-dev-master-key-0123456789}"
export PORTAL_ADDR="127.0.0.1:$port"
export PORTAL_BASE_URL="http://127.0.0.1:$port"
export PORTAL_ENV=development
export LOG_LEVEL=WARN
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
base="$PORTAL_BASE_URL"
checks=tools/checks
vnu="$checks/node_modules/vnu-jar/build/dist/vnu.jar"
lighthouse="$checks/node_modules/lighthouse/cli/index.js"
# Headless Chromium as root on a closed network: without these it stalls on first-run and update checks.
chrome_flags="--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"

fail() { echo "check-pages: $*" >&2; exit 1; }
say() { echo "check-pages: $*" >&2; }

command -v java >/dev/null || fail "java is missing (the Nu HTML Checker needs Java 11 or later: apt-get install -y default-jre-headless)"
command -v node >/dev/null || fail "node is missing (Lighthouse needs Node 18.16 or later)"
command -v psql >/dev/null || fail "psql is missing (apt-get install -y postgresql-client)"
bash scripts/ensure-postgres.sh "$DATABASE_URL"
bash scripts/ensure-chromium.sh
bash scripts/ensure-meili.sh >/dev/null

# The checkers: npm ci when node_modules is missing or older than the lockfile. --ignore-scripts: vnu-jar's
# postinstall would download a Java runtime; the machine's Java is used instead.
if [ ! -f "$checks/node_modules/.package-lock.json" ] || [ "$checks/package-lock.json" -nt "$checks/node_modules/.package-lock.json" ]; then
	say "npm ci ($checks)"
	(cd "$checks" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
[ -f "$vnu" ] || fail "$vnu is missing after npm ci"

work="$(mktemp -d)"
server_pid=""
cleanup() {
	local status=$?
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$server_pid" 2>/dev/null || true
	fi
	bash scripts/meili.sh stop check >/dev/null || true
	if [ "$status" -ne 0 ] && [ -s "$work/serve.log" ]; then
		say "last lines of the server log:"
		tail -n 20 "$work/serve.log" >&2
	fi
	rm -rf "$work"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "go build -o bin/portal ./cmd/portal"
go build -o bin/portal ./cmd/portal
bash scripts/meili.sh start check "$meili_port" >&2

db_name="${DATABASE_URL##*/}"
db_name="${db_name%%\?*}"
admin_url="${DATABASE_URL%/*}/postgres?${DATABASE_URL#*\?}"
psql -q "$admin_url" -c "DROP DATABASE IF EXISTS \"$db_name\" WITH (FORCE)" >/dev/null
bin/portal migrate >/dev/null
bin/portal seed --demo >&2
bin/portal reindex >&2

bin/portal serve >"$work/serve.log" 2>&1 &
server_pid=$!
for i in $(seq 1 150); do
	curl -fsS --max-time 2 "$base/readyz" >/dev/null 2>&1 && break
	kill -0 "$server_pid" 2>/dev/null || fail "bin/portal serve exited during start-up"
	[ "$i" -lt 150 ] || fail "$base/readyz did not answer 200 within 30s"
	sleep 0.2
done
say "serving on $base"

# api VALUE_JS PATH: fetch a JSON API path and print what the JavaScript expression (over `d`) gives.
api() { curl -fsS "$base$2" | node -e 'let s="";process.stdin.on("data",c=>s+=c).on("end",()=>{const d=JSON.parse(s);const v=('"$1"');if(v!==undefined&&v!==null)console.log(v)})'; }

# path_of URL: the path and query of a URL or path.
path_of() { case "$1" in *://*) echo "/${1#*://*/}" ;; *) echo "$1" ;; esac; }

staff_group="$(api 'Object.entries(d.facets.staff_group||{}).sort((a,b)=>b[1]-a[1])[0]?.[0]' "/api/v1/vacancies")"
vacancy="$(path_of "$(api 'd.hits[0]?.url' "/api/v1/vacancies?sort=newest")")"
employer="$(api 'd.partners.sort((a,b)=>b.live_count-a.live_count)[0]?.slug' "/api/v1/partners")"
zero_query="xylophone%20tuning"
[ "$(api 'd.total' "/api/v1/vacancies?q=$zero_query")" = 0 ] || fail "the zero-result search q=$zero_query finds jobs; choose another"
closed_id="$(psql -Atq "$DATABASE_URL" -c "SELECT v.id FROM vacancies v JOIN partners p ON p.id = v.partner_id
	WHERE (v.status = 'closed' OR (v.status = 'live' AND v.closing_on < current_date)) AND p.active
	ORDER BY v.id LIMIT 1")"
closed=""
if [ -n "$closed_id" ]; then
	closed="$(path_of "$(curl -sS -o /dev/null -w '%{redirect_url}' "$base/jobs/$closed_id")")"
fi
[ -n "$staff_group" ] && [ -n "$vacancy" ] && [ -n "$employer" ] || fail "the demo data has no vacancies or partners"

# label|path|expected status|form factors
pages=(
	"home|/|200|desktop mobile"
	"jobs|/jobs|200|desktop mobile"
	"search|/jobs?q=nurse&location=Ely|200|desktop"
	"facet|/jobs?staff_group=$staff_group|200|desktop"
	"zero results|/jobs?q=$zero_query|200|desktop"
	"page 2|/jobs?page=2|200|desktop"
	"vacancy|$vacancy|200|desktop mobile"
	"employers|/employers|200|desktop"
	"employer|/employers/$employer|200|desktop"
	"about data|/about-our-data|200|desktop"
	"living here|/living-here|200|desktop"
	"area guide|/living-here/fenland|200|desktop mobile"
	"careers|/careers|200|desktop"
	"pathway|/careers/nursing|200|desktop mobile"
	"campaign|/campaigns/care-in-the-fens|200|desktop"
	"stories|/stories|200|desktop"
	"story|/stories/a-physio-who-moved-to-ely|200|desktop"
	"system page|/working-across-our-system|200|desktop"
	"site search|/search?q=nursing+associate|200|desktop"
	"sign in|/account/sign-in|200|desktop mobile"
	"sign up|/account/sign-up|200|desktop"
	"reset|/account/reset|200|desktop"
	"job alert|/alerts/new?q=nurse&location=Ely|200|desktop"
	"404|/no-such-page|404|desktop"
)
if [ -n "$closed" ]; then
	pages+=("closed vacancy|$closed|200|desktop")
else
	say "the demo data has no closed vacancy; not checking one"
fi

# lighthouse_run PATH STATUS FACTOR REPORT: one Lighthouse run, its JSON report written to REPORT. A run that
# ends in a runtime error (now and then Chromium's trace misses its start: NO_NAVSTART) is tried once more.
lighthouse_run() {
	local args=(--quiet --output=json --output-path="$4" --only-categories=performance,accessibility,best-practices,seo
		--chrome-flags="$chrome_flags")
	[ "$3" = desktop ] && args+=(--preset=desktop)
	# Lighthouse refuses a page that is not 200 unless told the status is meant.
	[ "$2" = 200 ] || args+=(--ignore-status-code)
	node "$lighthouse" "$base$1" "${args[@]}" >"$work/lh.log" 2>&1 && return 0
	say "  Lighthouse failed ($(tail -n1 "$work/lh.log")); trying once more"
	node "$lighthouse" "$base$1" "${args[@]}" >"$work/lh.log" 2>&1
}

perf_score() { node -e 'const r=require(process.argv[1]);console.log(Math.round((r.categories.performance.score||0)*100))' "$1"; }

# measure LABEL PATH STATUS FACTOR PREFIX: prints the report to judge. Total blocking time is measured on this
# machine's main thread, so a busy machine costs a run points: a run under the performance threshold is run
# twice more and the run with the median performance score is the one judged (2 of 3 must pass).
measure() {
	local prefix="$5" first
	lighthouse_run "$2" "$3" "$4" "$prefix-1.json" || return 1
	first="$(perf_score "$prefix-1.json")"
	if [ "$first" -ge 98 ]; then
		echo "$prefix-1.json"
		return 0
	fi
	say "  performance $first: running it twice more, the median run counts"
	lighthouse_run "$2" "$3" "$4" "$prefix-2.json" || return 1
	lighthouse_run "$2" "$3" "$4" "$prefix-3.json" || return 1
	for f in "$prefix"-{1,2,3}.json; do echo "$(perf_score "$f") $f"; done | sort -n | sed -n 2p | cut -d' ' -f2
}

failures=()
manifest="$work/lighthouse.tsv"
: >"$manifest"
n=0
for entry in "${pages[@]}"; do
	IFS='|' read -r label path want factors <<<"$entry"
	[ "${CHECK_MOBILE_ALL:-}" = 1 ] && factors="desktop mobile"
	n=$((n + 1))
	html="$work/page-$n.html"
	status="$(curl -sS -o "$html" -w '%{http_code}' "$base$path")"
	if [ "$status" != "$want" ]; then
		failures+=("$label ($path): answered $status, want $want")
		continue
	fi
	seo=scored
	if [ "$status" != 200 ] || grep -q '<meta name="robots" content="noindex">' "$html"; then
		seo="excluded"
	fi
	echo "$n	$label	$path" >>"$work/pages.tsv"
	for factor in $factors; do
		say "lighthouse $factor: $label ($path)"
		if ! report="$(measure "$label" "$path" "$want" "$factor" "$work/lh-$n-$factor")"; then
			failures+=("$label ($path) $factor: Lighthouse did not finish: $(tail -n1 "$work/lh.log")")
			continue
		fi
		printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$path" "$factor" "$seo" "$report" >>"$manifest"
	done
done

# The Nu HTML Checker, once over all pages (one JVM start).
say "Nu HTML Checker on ${#pages[@]} pages"
vnu_out="$work/vnu.txt"
java -jar "$vnu" --errors-only --format gnu "$work"/page-*.html >"$vnu_out" 2>&1 || true
while IFS=$'\t' read -r n label path; do
	errors="$(grep -F "$work/page-$n.html\"" "$vnu_out" || true)"
	if [ -n "$errors" ]; then
		count="$(printf '%s\n' "$errors" | wc -l)"
		first="$(printf '%s\n' "$errors" | head -n1 | sed -E 's/^"[^"]*"://')"
		failures+=("$label ($path): $count HTML error(s), first: $first")
	fi
done <"$work/pages.tsv"
if grep -qv '^"' "$vnu_out"; then
	failures+=("Nu HTML Checker: $(grep -v '^"' "$vnu_out" | head -n1)")
fi

summary_status=0
node "$checks/lighthouse-summary.mjs" "$manifest" >"$work/summary.txt" || summary_status=$?
cat "$work/summary.txt" | grep -v '^FAIL ' || true
while IFS= read -r line; do
	failures+=("${line#FAIL }")
done < <(grep '^FAIL ' "$work/summary.txt" || true)
[ "$summary_status" -le 1 ] || failures+=("the Lighthouse summary failed (exit $summary_status)")

if [ "${#failures[@]}" -gt 0 ]; then
	echo
	echo "check-pages: ${#failures[@]} failure(s) (after $((SECONDS / 60))m$((SECONDS % 60))s):"
	printf '  - %s\n' "${failures[@]}"
	exit 1
fi
echo
echo "check-pages: all pages pass (HTML valid; Lighthouse thresholds met) in $((SECONDS / 60))m$((SECONDS % 60))s"
