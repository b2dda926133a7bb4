package benchmark

import (
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/regionalcareers/portal/search"
)

// Markdown writes the feed phase as a section of the report; alone says
// it is the whole report, so it opens with what was measured where.
func (r *FeedReport) Markdown(w io.Writer, alone bool) {
	o := r.Options
	if alone {
		fmt.Fprintf(w, "Measured by `make bench` on %s: Meilisearch %s, %s, %d CPUs, commit %s.\n\n",
			r.Started.Format("2006-01-02"), r.MeiliVersion, runtime.Version(), runtime.NumCPU(), orDash(o.Commit))
	}
	source := "served over loopback HTTP with an ETag"
	if o.Source == "file" {
		source = "read from disk through a file:// address (BENCH_FEED_SOURCE=file)"
	}
	fmt.Fprintf(w, "**Feed to searchable**: a %s-job Indeed XML document (%.1f MB) %s, pulled by `portal feeds run` "+
		"as a process of its own into a fresh database", thousands(o.Jobs), float64(r.DocumentBytes)/(1<<20), source)
	if r.Failure != "" {
		fmt.Fprintf(w, ".\n\nTarget: feed to searchable within %.1f× of raw: **missed**: `portal feeds run` **failed** "+
			"after %s with a peak RSS of %s, so nothing was searchable and nothing else was timed. It said: %s\n",
			FeedTarget, seconds(r.FeedRun), megabytes(r.PeakRSS), r.Failure)
		return
	}
	fmt.Fprintf(w, ", then the %d search sync jobs it enqueued drained by the River workers `portal serve` runs, until "+
		"the index holds all %s live vacancies; against raw Meilisearch adds of the same documents (batches of %s, "+
		"encoded beforehand).\n\n", r.SyncJobs, thousands(r.Documents), thousands(search.RebuildBatch))
	table(w, []string{"", "time", "vs raw"}, [][]string{
		{"feed to searchable (launch to every document in the index)", seconds(r.ToSearchable), times(r.Ratio())},
		{"… `portal feeds run` (fetch, parse, normalise, save; process launch to exit)", seconds(r.FeedRun), times(ratio(r.FeedRun, r.Raw))},
		{"… search sync drain (process exit to searchable; workers started then)", seconds(r.SyncDrain), times(ratio(r.SyncDrain, r.Raw))},
		{"raw Meilisearch (create, settings, adds, wait)", seconds(r.Raw), "1.00×"},
	})
	fmt.Fprintf(w, "\nTarget: feed to searchable within %.1f× of raw: **%s** (%.2f×). Peak memory of the feed process "+
		"(VmHWM, read every %s): %s; target under %s: **%s**. (getrusage's maxrss says %s, but that counts the "+
		"driver's own peak too: Go starts the process with vfork.)\n\n", FeedTarget, verdict(r.Ratio(), FeedTarget),
		r.Ratio(), rssPoll, megabytes(r.PeakRSS), megabytes(FeedRSSTarget),
		verdict(float64(r.PeakRSS), FeedRSSTarget), megabytes(r.RusageMaxRSS))
	fmt.Fprintf(w, "The run read %s items (%s new, %d rejected) and recorded %s itself; starting the River workers took "+
		"%s of the drain; %d sync jobs failed at least once.\n",
		thousands(r.Run.Items), thousands(r.Run.Created), r.Run.Rejected, seconds(r.recordedRun()),
		seconds(r.WorkersStart), r.SyncRetried)
}

// recordedRun is the run's own start-to-finish time, without the
// process's start-up and exit.
func (r *FeedReport) recordedRun() (d time.Duration) {
	if r.Run.FinishedAt == nil {
		return 0
	}
	return r.Run.FinishedAt.Sub(r.Run.StartedAt)
}
