# Regional health and care careers portal.
#
#   make run    check/start PostgreSQL, install and start the dev Meilisearch (127.0.0.1:7700) and the dev Mailpit
#               (SMTP 127.0.0.1:1025; the mail the portal sends is readable at http://127.0.0.1:8025), build
#               bin/portal, migrate, seed the demo data (a no-op when already seeded), then serve on PORTAL_ADDR
#               (default 127.0.0.1:8080). A second run reuses everything and starts in seconds.
#   make test   what CI runs (.ci/run): PostgreSQL, Meilisearch, Mailpit, Chromium and root npm packages made ready,
#               an empty test Meilisearch on 127.0.0.1:7701, go vet ./..., go test ./...; see scripts/test.sh
#   make check  build bin/portal and check every public page (Nu HTML Checker, Lighthouse) against its own
#               database portal_check, Meilisearch on 127.0.0.1:7702 and server on 127.0.0.1:8090
#   make bench  time indexing and search against raw Meilisearch on BENCH_N (default 50000) synthetic vacancies in
#               their own database (portal_bench) and Meilisearch (127.0.0.1:7703); writes bench-results/latest.md
#   make build  go build -o bin/portal ./cmd/portal
#   make meili  start the dev Meilisearch only (127.0.0.1:7700, data in .cache/meili/dev)
#   make stop   stop the dev Meilisearch and the dev Mailpit
#
# Everything downloaded or generated lives in the git-ignored .cache/ and bin/.

SHELL := /bin/bash

MEILI_DEV_PORT  ?= 7700
MEILI_TEST_PORT ?= 7701
MAILPIT_SMTP_PORT ?= 1025
MAILPIT_WEB_PORT  ?= 8025
export MEILI_URL        ?= http://127.0.0.1:$(MEILI_DEV_PORT)
export MEILI_MASTER_KEY ?= portal-dev-master-key-0123456789
# How long each Fuzz target runs after the tests (scripts/test.sh): 20000 inputs under CI=true when empty.
export FUZZTIME ?=

.PHONY: run test build meili stop bench check

build:
	go build -o bin/portal ./cmd/portal

# The portal sends its mail to the dev Mailpit, wherever MAILPIT_SMTP_PORT puts it.
run: export SMTP_PORT ?= $(MAILPIT_SMTP_PORT)
run:
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-meili.sh >/dev/null
	bash scripts/meili.sh start dev $(MEILI_DEV_PORT)
	bash scripts/ensure-mailpit.sh >/dev/null
	bash scripts/mailpit.sh start dev $(MAILPIT_SMTP_PORT) $(MAILPIT_WEB_PORT)
	go build -o bin/portal ./cmd/portal
	bin/portal migrate
	bin/portal seed --demo
	exec bin/portal serve

test:
	MEILI_TEST_PORT=$(MEILI_TEST_PORT) bash scripts/test.sh

meili:
	bash scripts/meili.sh start dev $(MEILI_DEV_PORT)

stop:
	bash scripts/meili.sh stop dev
	bash scripts/mailpit.sh stop dev

bench:
	bash scripts/bench.sh

check:
	bash scripts/check-pages.sh
