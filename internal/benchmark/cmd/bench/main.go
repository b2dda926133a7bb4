// Command bench runs the portal's benchmark (package benchmark) and writes
// its report. Run it through `make bench` (scripts/bench.sh), which gives it
// a database and a Meilisearch of its own.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/regionalcareers/portal/internal/benchmark"
	"github.com/regionalcareers/portal/internal/config"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	var opts benchmark.Options
	flag.IntVar(&opts.Vacancies, "n", envInt("BENCH_N", 50000), "synthetic vacancies to write (env BENCH_N)")
	flag.Int64Var(&opts.Seed, "seed", 1, "seed for the data and the query order")
	flag.IntVar(&opts.IndexRuns, "index-runs", envInt("BENCH_INDEX_RUNS", 3), "timed index builds on each side; 0 times search only (env BENCH_INDEX_RUNS)")
	flag.IntVar(&opts.Rounds, "rounds", envInt("BENCH_ROUNDS", 20), "timed passes over the query set (env BENCH_ROUNDS)")
	flag.IntVar(&opts.Warmup, "warmup", 2, "untimed passes over the query set first")
	flag.StringVar(&opts.CPUProfile, "cpuprofile", os.Getenv("BENCH_CPUPROFILE"), "write a CPU profile of the search timings here (env BENCH_CPUPROFILE)")
	flag.StringVar(&opts.MeiliPID, "meili-pid", os.Getenv("BENCH_MEILI_PID"), "Meilisearch's pid, to report its peak memory (env BENCH_MEILI_PID)")
	flag.StringVar(&opts.Commit, "commit", os.Getenv("BENCH_COMMIT"), "what is measured, for the report (env BENCH_COMMIT)")
	mainPhase := flag.Bool("search", envInt("BENCH_SEARCH", 1) != 0, "time indexing and search on synthetic vacancies; 0 runs the feed phase alone (env BENCH_SEARCH)")
	feedPhase := flag.Bool("feed", envInt("BENCH_FEED", 1) != 0, "time an Indeed feed of -n jobs from a local server to searchable (env BENCH_FEED)")
	feedDB := flag.String("feed-database", os.Getenv("BENCH_FEED_DATABASE_URL"), "a fresh database for the feed phase (env BENCH_FEED_DATABASE_URL)")
	feedSource := flag.String("feed-source", envString("BENCH_FEED_SOURCE", "http"), "how the feed run reads the document: http (a local server) or file (env BENCH_FEED_SOURCE)")
	out := flag.String("out", "bench-results/latest.md", "write the report here as markdown")
	flag.Parse()
	if !*mainPhase && !*feedPhase {
		return fmt.Errorf("BENCH_SEARCH=0 and BENCH_FEED=0 leave nothing to measure")
	}
	if opts.Vacancies < 1 || opts.Rounds < 1 || opts.IndexRuns < 0 || opts.Warmup < 0 {
		return fmt.Errorf("-n and -rounds must be at least 1, -index-runs and -warmup at least 0")
	}

	cfg, err := config.FromEnv()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var rep *benchmark.Report
	if *mainPhase {
		if rep, err = benchmark.Run(ctx, cfg, opts, os.Stderr); err != nil {
			return err
		}
	}
	var feed *benchmark.FeedReport
	var feedErr error // reported after writing what was measured
	if *feedPhase {
		feedOpts := benchmark.FeedOptions{Jobs: opts.Vacancies, Seed: opts.Seed, DatabaseURL: *feedDB,
			Source: *feedSource, Commit: opts.Commit}
		if feed, feedErr = benchmark.RunFeed(ctx, cfg, feedOpts, os.Stderr); feedErr != nil && feed == nil && rep == nil {
			return fmt.Errorf("feed phase: %w", feedErr)
		}
	}
	markdown := func(w io.Writer) {
		if rep != nil {
			rep.Markdown(w)
		}
		if feed != nil {
			if rep != nil {
				fmt.Fprintln(w)
			}
			feed.Markdown(w, rep == nil)
		}
	}
	fmt.Println()
	markdown(os.Stdout)
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	markdown(f)
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "bench: report written to", *out)
	if feedErr != nil {
		return fmt.Errorf("feed phase: %w", feedErr)
	}
	return nil
}

// envInt reads a whole number from the environment; a value that is not
// one stops the run rather than quietly becoming the default.
func envInt(key string, fallback int) int {
	raw := os.Getenv(key)
	if raw == "" {
		return fallback
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %s must be a whole number, not %q\n", key, raw)
		os.Exit(2)
	}
	return n
}

func envString(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}
