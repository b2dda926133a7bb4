// Package benchmark is the driver behind `make bench` (scripts/bench.sh):
// on a database and Meilisearch of its own it writes synthetic vacancies,
// then times (a) a full index rebuild from PostgreSQL against raw
// Meilisearch document adds of the same documents and (b) the /jobs page
// and the JSON API against the same multi-search sent straight to
// Meilisearch, and reports the ratios. Speed is always a ratio against raw
// Meilisearch on the same data in the same run, so the figures travel
// between machines. It must never be pointed at a database that is not its
// own: it writes tens of thousands of vacancies there.
package benchmark

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/db"
	"github.com/regionalcareers/portal/internal/demo"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
	"github.com/regionalcareers/portal/site"
)

// Targets from the issue: how far behind raw Meilisearch the portal may be.
const (
	PageTarget     = 1.3 // /jobs page p50 over raw Meilisearch p50
	IndexingTarget = 1.5 // rebuild median over raw build median
)

// Options say how big and how long a run is.
type Options struct {
	Vacancies  int    // synthetic vacancies to write
	Seed       int64  // makes the data and the query order repeatable
	IndexRuns  int    // timed builds on each side
	Rounds     int    // timed passes over the query set
	Warmup     int    // untimed passes first
	CPUProfile string // file for a CPU profile of the search timings; "" for none
	MeiliPID   string // the engine's pid, to report its peak memory; "" to skip
	Commit     string // what was measured, for the report
}

// Report is everything a run found.
type Report struct {
	Options      Options
	Started      time.Time
	Written      int
	WriteTime    time.Duration
	MeiliVersion string
	Indexing     IndexingResult
	Latency      LatencyResult
	PeakRSS      int64 // this process: it holds every document for the raw side
	MeiliPeakRSS int64
}

// Run does a whole benchmark on cfg's database and Meilisearch, logging
// progress to progress.
func Run(ctx context.Context, cfg config.Config, opts Options, progress io.Writer) (*Report, error) {
	if err := checkOwnDatabase(cfg); err != nil {
		return nil, err
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(progress, "bench: "+format+"\n", args...)
	}
	rep := &Report{Options: opts, Started: time.Now()}
	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	if err := db.Migrate(ctx, pool); err != nil {
		return nil, err
	}
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		return nil, err
	}
	ps, vs := partners.NewStore(pool, ob), vacancies.NewStore(pool, ob)

	start := time.Now()
	sum, err := demo.Synthetic(ctx, ps, vs, time.Now(), opts.Vacancies, opts.Seed)
	if err != nil {
		return nil, err
	}
	rep.Written, rep.WriteTime = sum.Vacancies, time.Since(start)
	logf("wrote %d synthetic vacancies in %s", rep.Written, rep.WriteTime.Round(time.Millisecond))

	client := search.New(cfg)
	raw := &rawMeili{url: cfg.MeiliURL, key: cfg.MeiliMasterKey, http: newHTTPClient(false)}
	rep.MeiliVersion = raw.version(ctx)
	if err := client.EnsureVacancyIndex(ctx); err != nil {
		return nil, err
	}
	syncer := search.NewSyncer(client, vs)
	if rep.Indexing, err = compareIndexing(ctx, syncer, raw, client.VacanciesIndex(), vs, opts.IndexRuns, logf); err != nil {
		return nil, err
	}
	runtime.GC() // the raw side's documents are garbage now; keep that out of the search timings

	if rep.Latency, err = compareSearch(ctx, cfg, pool, ps, vs, client, raw, opts, logf); err != nil {
		return nil, err
	}
	rep.PeakRSS = peakRSS("self")
	if opts.MeiliPID != "" {
		rep.MeiliPeakRSS = peakRSS(opts.MeiliPID)
	}
	return rep, nil
}

// compareSearch serves the site as `portal serve` would and times every
// query on the page, the API and raw Meilisearch.
func compareSearch(ctx context.Context, cfg config.Config, pool *pgxpool.Pool, ps *partners.Store, vs *vacancies.Store,
	client *search.Client, raw *rawMeili, opts Options, logf func(string, ...any)) (LatencyResult, error) {
	// Logging as in production (JSON, info, a line per request), minus the
	// terminal: the work of logging is part of serving a page.
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	newSite := func(c *search.Client) (*httptest.Server, error) {
		deps := site.NewDeps(cfg, pool, nil, c, logger)
		deps.Partners, deps.Vacancies = ps, vs
		app, err := site.New(deps)
		if err != nil {
			return nil, err
		}
		return httptest.NewServer(app), nil
	}
	srv, err := newSite(client)
	if err != nil {
		return LatencyResult{}, err
	}
	defer srv.Close()

	rec, err := newRecorder(cfg.MeiliURL)
	if err != nil {
		return LatencyResult{}, err
	}
	recSrv := httptest.NewServer(rec)
	defer recSrv.Close()
	recCfg := cfg
	recCfg.MeiliURL = recSrv.URL
	recordingSite, err := newSite(search.New(recCfg))
	if err != nil {
		return LatencyResult{}, err
	}
	defer recordingSite.Close()

	// Like a browser, the client asks the site for gzip; the site's Go
	// server sets TCP_NODELAY, so that costs no delayed-ACK stall.
	httpClient := newHTTPClient(true)
	ready, encoding, err := prepare(ctx, httpClient, raw.http, srv.URL, recordingSite.URL, rec, raw, querySet)
	if err != nil {
		return LatencyResult{}, err
	}
	logf("search: %d queries checked (page and API send one identical multi-search; its replay finds as many hits)", len(ready))

	if opts.CPUProfile != "" {
		f, err := os.Create(opts.CPUProfile)
		if err != nil {
			return LatencyResult{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return LatencyResult{}, err
		}
		defer pprof.StopCPUProfile()
	}
	res, err := measure(ctx, httpClient, raw.http, raw, querySet, ready, opts.Warmup, opts.Rounds, uint64(opts.Seed))
	res.Encoding = encoding
	if err == nil {
		logf("search: %d queries x %d rounds timed on each side", len(ready), opts.Rounds)
	}
	return res, err
}

// checkOwnDatabase refuses any database whose name does not say it is a
// benchmark's, and an index prefix shared with the site's.
func checkOwnDatabase(cfg config.Config) error {
	u, err := url.Parse(cfg.DatabaseURL)
	if err != nil {
		return fmt.Errorf("DATABASE_URL: %w", err)
	}
	if name := strings.TrimPrefix(u.Path, "/"); !strings.Contains(name, "bench") {
		return fmt.Errorf("DATABASE_URL names database %q: the benchmark only writes to a database of its own, "+
			"with \"bench\" in its name (scripts/bench.sh uses portal_bench)", name)
	}
	if cfg.IndexPrefix == "" {
		return errors.New("MEILI_INDEX_PREFIX is empty: the benchmark only builds indexes under a prefix of its own (scripts/bench.sh uses bench_)")
	}
	return nil
}
