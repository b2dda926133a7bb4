// Package jobs declares all background work in one place: the River
// workers and the periodic schedule. It wires domain packages to River and
// must not hold domain rules itself.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// Deps are what the workers need.
type Deps struct {
	Vacancies *vacancies.Store
	Syncer    *search.Syncer
	Logger    *slog.Logger
}

// CloseExpiredArgs closes vacancies past their closing date.
type CloseExpiredArgs struct{}

// Kind names the job for River.
func (CloseExpiredArgs) Kind() string { return "close_expired_vacancies" }

// ReconcileArgs rebuilds the search index from PostgreSQL and swaps it in,
// catching anything the outbox missed.
type ReconcileArgs struct{}

// Kind names the job for River.
func (ReconcileArgs) Kind() string { return "reconcile_search" }

// InsertOpts keeps one rebuild at a time.
func (ReconcileArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: outbox.SearchQueue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByPeriod: time.Hour}}
}

type closeExpiredWorker struct {
	river.WorkerDefaults[CloseExpiredArgs]
	deps Deps
}

func (w *closeExpiredWorker) Work(ctx context.Context, _ *river.Job[CloseExpiredArgs]) error {
	closed, err := w.deps.Vacancies.CloseExpired(ctx, time.Now())
	if err == nil && len(closed) > 0 {
		w.deps.Logger.Info("closed vacancies past their closing date", "count", len(closed))
	}
	return err
}

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	deps Deps
}

func (w *reconcileWorker) Work(ctx context.Context, _ *river.Job[ReconcileArgs]) error {
	n, err := w.deps.Syncer.Rebuild(ctx)
	if err == nil {
		w.deps.Logger.Info("rebuilt vacancies index", "documents", n)
	}
	return err
}

func (w *reconcileWorker) Timeout(*river.Job[ReconcileArgs]) time.Duration { return 30 * time.Minute }

// Schedule is every periodic job: what runs, and how often.
func Schedule() []*river.PeriodicJob {
	every := func(d time.Duration, args river.JobArgs, onStart bool) *river.PeriodicJob {
		return river.NewPeriodicJob(river.PeriodicInterval(d),
			func() (river.JobArgs, *river.InsertOpts) { return args, nil },
			&river.PeriodicJobOpts{RunOnStart: onStart})
	}
	return []*river.PeriodicJob{
		// Closing dates pass at midnight; hourly keeps the lag short.
		every(time.Hour, CloseExpiredArgs{}, true),
		// Serve asks for a rebuild at start only when the index and
		// PostgreSQL disagree (see NeedsReconcile), not on every start.
		every(24*time.Hour, ReconcileArgs{}, false),
	}
}

// NewClient returns a River client that runs every worker and the schedule.
func NewClient(pool *pgxpool.Pool, deps Deps) (*river.Client[pgx.Tx], error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &search.SyncWorker{Syncer: deps.Syncer})
	river.AddWorker(workers, &closeExpiredWorker{deps: deps})
	river.AddWorker(workers, &reconcileWorker{deps: deps})
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Logger:       deps.Logger,
		Workers:      workers,
		PeriodicJobs: Schedule(),
		Queues: map[string]river.QueueConfig{
			river.QueueDefault: {MaxWorkers: 4},
			outbox.SearchQueue: {MaxWorkers: 2},
		},
	})
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return client, nil
}

// NeedsReconcile reports whether the vacancies index holds a different
// number of documents from the live vacancies in PostgreSQL, as after a
// Meilisearch data loss or a restore of the database.
func NeedsReconcile(ctx context.Context, deps Deps, client *search.Client) (bool, error) {
	stats, err := client.VacancyIndexStats(ctx)
	if err != nil {
		return false, err
	}
	counts, err := deps.Vacancies.LiveCounts(ctx)
	if err != nil {
		return false, err
	}
	return stats.Documents != int64(counts.Live), nil
}
