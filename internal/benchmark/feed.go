package benchmark

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/db"
	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/jobs"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// Targets from the issue for a large feed: from the document to
// searchable, against raw Meilisearch indexing of the same documents, and
// the feed run's peak memory.
const (
	FeedTarget    = 1.5       // feed to searchable over raw indexing
	FeedRSSTarget = 300 << 20 // peak RSS of the `portal feeds run` process
)

// feedWaitLimit bounds the wait for the index to catch up, so a sync job
// stuck retrying ends the run with its error instead of hanging it.
const feedWaitLimit = 30 * time.Minute

// FeedOptions say how big the feed is and where it goes.
type FeedOptions struct {
	Jobs        int    // jobs in the Indeed document
	Seed        int64  // makes the document repeatable
	DatabaseURL string // a fresh database of the benchmark's own (scripts/bench.sh: portal_bench_feed)
	// Source is how the run reads the document: "http" from the local
	// server (the default), or "file" from disk, which the fetcher reads
	// without the two-minute limit it puts on an HTTP response.
	Source string
	Commit string // what was measured, for the report
}

// FeedReport is what the feed phase found.
type FeedReport struct {
	Options       FeedOptions
	Started       time.Time
	MeiliVersion  string
	DocumentBytes int64
	Run           feeds.Run // as the run recorded itself
	SyncJobs      int       // outbox jobs the run enqueued
	SyncRetried   int       // of those, jobs that failed at least once
	Documents     int       // live vacancies, and documents in the index once searchable
	ToSearchable  time.Duration
	FeedRun       time.Duration // the feed process, from launch to exit
	WorkersStart  time.Duration // River client start, inside SyncDrain
	SyncDrain     time.Duration // from the feed process's exit to searchable
	Raw           time.Duration // create, settings, adds, wait
	PeakRSS       int64         // bytes, the feed process's VmHWM
	RusageMaxRSS  int64         // bytes, getrusage's maxrss: at least the driver's own peak too (see runFeedProcess)
	Failure       string        // what the feed process said when it failed; nothing after it was timed
}

// Ratio is how many times longer the feed takes to be searchable than raw
// Meilisearch takes to index the same documents.
func (r *FeedReport) Ratio() float64 { return ratio(r.ToSearchable, r.Raw) }

// RunFeed times a large Indeed feed from a local server to searchable:
// `portal feeds run` in a process of its own (so its peak memory is the
// run's alone) into a fresh database, then the River workers draining the
// search sync jobs the run enqueued until the index holds every live
// vacancy; and raw Meilisearch indexing of the same documents. When the
// feed process fails, it returns the error with a report of how long the
// process ran and its peak memory.
func RunFeed(ctx context.Context, cfg config.Config, opts FeedOptions, progress io.Writer) (*FeedReport, error) {
	logf := func(format string, args ...any) { fmt.Fprintf(progress, "bench: feed: "+format+"\n", args...) }
	if opts.Source != "" && opts.Source != "http" && opts.Source != "file" {
		return nil, fmt.Errorf("feed source %q: want http or file", opts.Source)
	}
	cfg, err := feedConfig(cfg, opts.DatabaseURL)
	if err != nil {
		return nil, err
	}
	rep := &FeedReport{Options: opts, Started: time.Now()}
	dir, err := os.MkdirTemp("", "portal-bench-feed-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)

	bin, err := buildPortal(ctx, dir)
	if err != nil {
		return nil, err
	}
	docPath := filepath.Join(dir, "jobs.xml")
	etag, err := writeFeedFile(docPath, opts, rep)
	if err != nil {
		return nil, err
	}
	logf("wrote a %d-job Indeed document of %.1f MB", opts.Jobs, float64(rep.DocumentBytes)/(1<<20))
	srv := httptest.NewServer(feedServer(docPath, etag))
	defer srv.Close()
	feedURL := srv.URL + "/jobs.xml"
	if opts.Source == "file" {
		feedURL = (&url.URL{Scheme: "file", Path: docPath}).String()
	}

	pool, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		return nil, err
	}
	vs := vacancies.NewStore(pool, ob)
	feedID, err := prepareFeedDatabase(ctx, pool, vs, feedURL)
	if err != nil {
		return nil, err
	}
	client := search.New(cfg)
	raw := &rawMeili{url: cfg.MeiliURL, key: cfg.MeiliMasterKey, http: newHTTPClient(false)}
	rep.MeiliVersion = raw.version(ctx)
	// A fresh, empty live index with the portal's settings, as a running
	// site has before its first feed run.
	if err := raw.deleteIndex(ctx, client.VacanciesIndex()); err != nil {
		return nil, err
	}
	if err := client.EnsureVacancyIndex(ctx); err != nil {
		return nil, err
	}

	if err := timeToSearchable(ctx, cfg, bin, pool, vs, client, feedID, rep, logf); err != nil {
		if rep.Failure != "" {
			return rep, err // a finding, not a fault of the benchmark: reported with what it measured
		}
		return nil, err
	}
	if err := timeRawFeedIndexing(ctx, raw, client.VacanciesIndex(), vs, rep, logf); err != nil {
		return nil, err
	}
	return rep, nil
}

// feedConfig is cfg pointed at the feed's own database and index prefix,
// refusing a database that is not a benchmark's or is the main phase's.
func feedConfig(cfg config.Config, databaseURL string) (config.Config, error) {
	if databaseURL == "" {
		return cfg, errors.New("no database for the feed phase: scripts/bench.sh creates portal_bench_feed and passes it in BENCH_FEED_DATABASE_URL")
	}
	if databaseURL == cfg.DatabaseURL {
		return cfg, errors.New("the feed phase needs a fresh database, not the one the main phase writes synthetic vacancies to")
	}
	cfg.DatabaseURL = databaseURL
	if err := checkOwnDatabase(cfg); err != nil {
		return cfg, err
	}
	cfg.IndexPrefix += "feed_"
	return cfg, nil
}

// buildPortal builds cmd/portal into dir, from the module the driver runs
// in (scripts/bench.sh runs it from the repository's root).
func buildPortal(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "portal")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/portal")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/portal: %w\n%s", err, out)
	}
	return bin, nil
}

func writeFeedFile(path string, opts FeedOptions, rep *FeedReport) (etag string, err error) {
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	rep.DocumentBytes, etag, err = writeIndeedFeed(f, opts.Jobs, opts.Seed, rep.Started)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return etag, err
}

// prepareFeedDatabase migrates the fresh database, checks it is empty and
// adds the staff bank and its Indeed feed at feedURL.
func prepareFeedDatabase(ctx context.Context, pool *pgxpool.Pool, vs *vacancies.Store, feedURL string) (int64, error) {
	if err := db.Migrate(ctx, pool); err != nil {
		return 0, err
	}
	var existing int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM vacancies) + (SELECT count(*) FROM feeds)`).Scan(&existing); err != nil {
		return 0, err
	}
	if existing > 0 {
		return 0, errors.New("the feed database already holds vacancies or feeds: the feed phase needs a fresh one (scripts/bench.sh recreates it)")
	}
	partnerID, err := partners.NewStore(pool, nil).Upsert(ctx, partners.Partner{ // a fresh database: nothing to sync
		Slug: feedEmployer.Slug, Name: feedEmployer.Name, Type: partners.NHSTrust,
		Website: "https://" + feedEmployer.Domain, Active: true,
	})
	if err != nil {
		return 0, err
	}
	return feeds.NewStore(pool).Add(ctx, feeds.Feed{PartnerID: partnerID, URL: feedURL, Format: "indeed", Every: time.Hour})
}

// timeToSearchable launches `portal feeds run`, waits for it, then starts
// the River workers and waits until the index holds every live vacancy.
func timeToSearchable(ctx context.Context, cfg config.Config, bin string, pool *pgxpool.Pool, vs *vacancies.Store,
	client *search.Client, feedID int64, rep *FeedReport, logf func(string, ...any)) error {
	start := time.Now()
	rss, maxrss, out, err := runFeedProcess(ctx, cfg, bin, feedID)
	exited := time.Now()
	rep.FeedRun, rep.PeakRSS, rep.RusageMaxRSS = exited.Sub(start), rss, maxrss
	// The command clears its progress line first when stderr is a file.
	out = strings.Join(strings.Fields(strings.ReplaceAll(out, "\r\033[K", "")), " ")
	if err != nil {
		rep.Failure = fmt.Sprintf("%s (%v)", out, err)
		return fmt.Errorf("portal feeds run %d stopped after %s with a peak RSS of %s: %s", feedID,
			rep.FeedRun.Round(time.Millisecond), megabytes(rss), rep.Failure)
	}
	logf("%s", out)
	runs, err := feeds.NewStore(pool).Runs(ctx, feedID, 1)
	if err != nil {
		return err
	}
	if len(runs) == 0 || runs[0].Status != "succeeded" {
		return fmt.Errorf("the feed run did not succeed: %+v", runs)
	}
	rep.Run = runs[0]
	if rep.Run.Created != rep.Options.Jobs || rep.Run.Rejected > 0 {
		return fmt.Errorf("the feed run created %d of %d jobs and rejected %d (portal feeds show %d says why)",
			rep.Run.Created, rep.Options.Jobs, rep.Run.Rejected, feedID)
	}
	counts, err := vs.LiveCounts(ctx)
	if err != nil {
		return err
	}
	rep.Documents = counts.Live
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = $1`,
		outbox.SyncVacancies{}.Kind()).Scan(&rep.SyncJobs); err != nil {
		return err
	}

	// Now the workers `portal serve` runs, as it would pick the jobs up.
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	deps := jobs.Deps{Vacancies: vs, Syncer: search.NewSyncer(client, vs), Logger: logger,
		Feeds: feeds.NewRunner(pool, vs, geo.Default(), logger)}
	worker, err := jobs.NewClient(pool, deps)
	if err != nil {
		return err
	}
	if err := worker.Start(ctx); err != nil {
		return err
	}
	rep.WorkersStart = time.Since(exited)
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		_ = worker.Stop(stopCtx)
	}()
	if err := waitSearchable(ctx, pool, client, rep.Documents); err != nil {
		return err
	}
	searchable := time.Now()
	rep.ToSearchable, rep.SyncDrain = searchable.Sub(start), searchable.Sub(exited)
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE kind = $1 AND attempt > 1`,
		outbox.SyncVacancies{}.Kind()).Scan(&rep.SyncRetried); err != nil {
		return err
	}
	logf("searchable after %s: feed run %s, then %d sync jobs drained in %s", rep.ToSearchable.Round(time.Millisecond),
		rep.FeedRun.Round(time.Millisecond), rep.SyncJobs, rep.SyncDrain.Round(time.Millisecond))
	return nil
}

// runFeedProcess runs `portal feeds run ID` against cfg and returns its
// peak resident set size in bytes, getrusage's maxrss, and what it printed.
//
// The peak is the process's VmHWM, read every rssPoll while it runs:
// Go starts a child with vfork, and Linux carries the high-water mark of
// the memory the child shared until exec (the driver's) into the child's
// maxrss, so getrusage reports at least the driver's own peak.
func runFeedProcess(ctx context.Context, cfg config.Config, bin string, feedID int64) (peak, maxrss int64, out string, err error) {
	cmd := exec.CommandContext(ctx, bin, "feeds", "run", strconv.FormatInt(feedID, 10))
	// Later entries win: the feed's database and index prefix over the
	// main phase's.
	cmd.Env = append(os.Environ(), "DATABASE_URL="+cfg.DatabaseURL, "MEILI_URL="+cfg.MeiliURL,
		"MEILI_MASTER_KEY="+cfg.MeiliMasterKey, "MEILI_INDEX_PREFIX="+cfg.IndexPrefix, "LOG_LEVEL=warn")
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Start(); err != nil {
		return 0, 0, "", err
	}
	done, sampled := make(chan struct{}), make(chan int64)
	go func() {
		pid, highest := strconv.Itoa(cmd.Process.Pid), int64(0)
		tick := time.NewTicker(rssPoll)
		defer tick.Stop()
		for {
			highest = max(highest, peakRSS(pid)) // VmHWM only grows; 0 once the process is gone
			select {
			case <-done:
				sampled <- highest
				return
			case <-tick.C:
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	peak = <-sampled
	if usage, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxrss = usage.Maxrss * 1024 // kilobytes on Linux
	}
	return peak, maxrss, buf.String(), err
}

// rssPoll is how often the feed process's peak memory is read.
const rssPoll = 10 * time.Millisecond

// waitSearchable polls the live index, as often as the search package
// polls a task, until it holds want documents and is not indexing.
func waitSearchable(ctx context.Context, pool *pgxpool.Pool, client *search.Client, want int) error {
	deadline := time.Now().Add(feedWaitLimit)
	for {
		stats, err := client.VacancyIndexStats(ctx)
		if err != nil {
			return err
		}
		if stats.Documents == int64(want) && !stats.IsIndexing {
			return nil
		}
		if time.Now().After(deadline) {
			var lastError string
			_ = pool.QueryRow(ctx, `SELECT coalesce((SELECT errors[array_length(errors, 1)]::text FROM river_job
				WHERE kind = $1 AND errors IS NOT NULL ORDER BY id DESC LIMIT 1), 'none')`,
				outbox.SyncVacancies{}.Kind()).Scan(&lastError)
			return fmt.Errorf("the index holds %d of %d documents after %s (last sync job error: %s)",
				stats.Documents, want, feedWaitLimit, lastError)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(taskPoll):
		}
	}
}

// timeRawFeedIndexing adds the documents the feed produced, read back from
// PostgreSQL and encoded before the clock starts, to a fresh index with
// the live index's settings, as the main phase's raw side does.
func timeRawFeedIndexing(ctx context.Context, raw *rawMeili, live string, vs *vacancies.Store, rep *FeedReport,
	logf func(string, ...any)) error {
	batches, docs, err := rawDocuments(ctx, vs)
	if err != nil {
		return err
	}
	if docs.Documents != rep.Documents {
		return fmt.Errorf("read back %d documents, PostgreSQL counts %d live", docs.Documents, rep.Documents)
	}
	settings, err := raw.do(ctx, http.MethodGet, "/indexes/"+url.PathEscape(live)+"/settings", nil)
	if err != nil {
		return fmt.Errorf("read the portal's index settings: %w", err)
	}
	uid := live + "_raw"
	if err := raw.deleteIndex(ctx, uid); err != nil {
		return err
	}
	if rep.Raw, err = rawBuild(ctx, raw, uid, settings, batches); err != nil {
		return fmt.Errorf("raw build: %w", err)
	}
	logf("raw Meilisearch indexed the same %d documents in %s", docs.Documents, rep.Raw.Round(time.Millisecond))
	return raw.deleteIndex(ctx, uid)
}
