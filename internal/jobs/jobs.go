// Package jobs declares all background work in one place: the River
// workers and the periodic schedule. It wires domain packages to River and
// must not hold domain rules itself.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/regionalcareers/portal/internal/alerts"
	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/ratelimit"
	"github.com/regionalcareers/portal/internal/sessionstore"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// Deps are what the workers need.
type Deps struct {
	Vacancies *vacancies.Store
	Syncer    *search.Syncer
	// Pages and PageSyncer go together: scheduled pages go live and pages
	// reach search. Either nil skips that work (callers that only deal in
	// vacancies leave them out).
	Pages      *pages.Store
	PageSyncer *search.PageSyncer
	Feeds      *feeds.Runner
	Sessions   *sessionstore.Store // for the clean-up; nil skips it
	Limiter    *ratelimit.Limiter  // for the clean-up; nil skips it
	Alerts     *alerts.Digests     // job alert e-mails; nil skips them
	Logger     *slog.Logger

	// Applications lose their personal data RetentionDays after their
	// vacancy closes (0: the default). A nil Applications skips it.
	Applications  *applications.Store
	RetentionDays int
}

// FeedRunArgs pulls one feed; it lives in package outbox so the site can
// ask for a run (an admin's "pull it now") without importing the workers.
type FeedRunArgs = outbox.FeedRun

// FeedsDueArgs enqueues a run for every feed whose interval has passed.
type FeedsDueArgs struct{}

// Kind names the job for River.
func (FeedsDueArgs) Kind() string { return "feeds_due" }

type feedRunWorker struct {
	river.WorkerDefaults[FeedRunArgs]
	deps Deps
}

func (w *feedRunWorker) Work(ctx context.Context, job *river.Job[FeedRunArgs]) error {
	run, err := w.deps.Feeds.Run(ctx, job.Args.FeedID, nil)
	if errors.Is(err, feeds.ErrNotFound) {
		return river.JobCancel(err) // the feed was removed meanwhile
	}
	if err == nil {
		w.deps.Logger.Info("feed run", "feed", job.Args.FeedID, "status", run.Status, "items", run.Items,
			"new", run.Created, "updated", run.Updated, "closed", run.Closed, "rejected", run.Rejected)
	}
	return err
}

func (w *feedRunWorker) Timeout(*river.Job[FeedRunArgs]) time.Duration { return 30 * time.Minute }

type feedsDueWorker struct {
	river.WorkerDefaults[FeedsDueArgs]
	deps Deps
}

func (w *feedsDueWorker) Work(ctx context.Context, _ *river.Job[FeedsDueArgs]) error {
	ids, err := w.deps.Feeds.Feeds.Due(ctx, time.Now())
	if err != nil || len(ids) == 0 {
		return err
	}
	client := river.ClientFromContext[pgx.Tx](ctx)
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: FeedRunArgs{FeedID: id}}
	}
	_, err = client.InsertMany(ctx, params)
	return err
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

// PublishDueArgs makes scheduled vacancies whose time has come live.
type PublishDueArgs struct{}

// Kind names the job for River.
func (PublishDueArgs) Kind() string { return "publish_due_vacancies" }

type publishDueWorker struct {
	river.WorkerDefaults[PublishDueArgs]
	deps Deps
}

func (w *publishDueWorker) Work(ctx context.Context, _ *river.Job[PublishDueArgs]) error {
	published, err := w.deps.Vacancies.PublishDue(ctx, time.Now())
	if err == nil && len(published) > 0 {
		w.deps.Logger.Info("published scheduled vacancies", "count", len(published))
	}
	return err
}

// PublishDuePagesArgs makes scheduled pages whose time has come live.
type PublishDuePagesArgs struct{}

// Kind names the job for River.
func (PublishDuePagesArgs) Kind() string { return "publish_due_pages" }

type publishDuePagesWorker struct {
	river.WorkerDefaults[PublishDuePagesArgs]
	deps Deps
}

func (w *publishDuePagesWorker) Work(ctx context.Context, _ *river.Job[PublishDuePagesArgs]) error {
	if w.deps.Pages == nil {
		return nil
	}
	published, err := w.deps.Pages.PublishDue(ctx, time.Now())
	if err == nil && len(published) > 0 {
		w.deps.Logger.Info("published scheduled pages", "count", len(published))
	}
	return err
}

// rebuildAll rebuilds the vacancies index and, when there is a page
// syncer, the pages index; a failure of one does not stop the other.
func rebuildAll(ctx context.Context, deps Deps, why string) error {
	n, err := deps.Syncer.Rebuild(ctx)
	if err == nil {
		deps.Logger.Info("rebuilt vacancies index"+why, "documents", n)
	}
	if deps.PageSyncer == nil {
		return err
	}
	pagesN, pagesErr := deps.PageSyncer.RebuildPages(ctx)
	if pagesErr == nil {
		deps.Logger.Info("rebuilt pages index"+why, "documents", pagesN)
	}
	return errors.Join(err, pagesErr)
}

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	deps Deps
}

func (w *reconcileWorker) Work(ctx context.Context, _ *river.Job[ReconcileArgs]) error {
	return rebuildAll(ctx, w.deps, "")
}

func (w *reconcileWorker) Timeout(*river.Job[ReconcileArgs]) time.Duration { return 30 * time.Minute }

// rebuildWorker runs the rebuild an admin asks for (outbox.RequestRebuild),
// the same rebuild-and-swap as the reconciliation.
type rebuildWorker struct {
	river.WorkerDefaults[outbox.RebuildIndex]
	deps Deps
}

func (w *rebuildWorker) Work(ctx context.Context, _ *river.Job[outbox.RebuildIndex]) error {
	return rebuildAll(ctx, w.deps, " on request")
}

func (w *rebuildWorker) Timeout(*river.Job[outbox.RebuildIndex]) time.Duration {
	return 30 * time.Minute
}

// applySynonymsWorker applies the stored synonyms after an admin edits
// them (outbox.ApplySynonyms, enqueued with the edit).
type applySynonymsWorker struct {
	river.WorkerDefaults[outbox.ApplySynonyms]
	deps Deps
}

func (w *applySynonymsWorker) Work(ctx context.Context, _ *river.Job[outbox.ApplySynonyms]) error {
	return w.deps.Syncer.ApplySynonyms(ctx)
}

// CleanUpArgs deletes what has expired: sessions past their time and
// rate-limit windows long gone.
type CleanUpArgs struct{}

// Kind names the job for River.
func (CleanUpArgs) Kind() string { return "clean_up" }

type cleanUpWorker struct {
	river.WorkerDefaults[CleanUpArgs]
	deps Deps
}

func (w *cleanUpWorker) Work(ctx context.Context, _ *river.Job[CleanUpArgs]) error {
	if w.deps.Sessions != nil {
		n, err := w.deps.Sessions.DeleteExpired(ctx)
		if err != nil {
			return err
		}
		w.deps.Logger.Debug("deleted expired sessions", "sessions", n)
	}
	if w.deps.Limiter != nil {
		if _, err := w.deps.Limiter.DeleteOld(ctx); err != nil {
			return err
		}
	}
	return nil
}

// AlertsDueArgs enqueues one AlertSendArgs for every job alert that may
// send now.
type AlertsDueArgs struct{}

// Kind names the job for River.
func (AlertsDueArgs) Kind() string { return "alerts_due" }

type alertsDueWorker struct {
	river.WorkerDefaults[AlertsDueArgs]
	deps Deps
}

func (w *alertsDueWorker) Work(ctx context.Context, _ *river.Job[AlertsDueArgs]) error {
	if w.deps.Alerts == nil {
		return nil
	}
	ids, err := w.deps.Alerts.Due(ctx)
	if err != nil || len(ids) == 0 {
		return err
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: AlertSendArgs{AlertID: id}}
	}
	_, err = river.ClientFromContext[pgx.Tx](ctx).InsertMany(ctx, params)
	return err
}

// AlertSendArgs e-mails one alert's new roles. Unique per alert while one
// is waiting, running or retrying, so a slow send never piles up. A failed
// e-mail is retried; what was sent is recorded, so a retry never repeats a
// role (see alerts.Digests.Send).
type AlertSendArgs struct {
	AlertID int64 `json:"alert_id"`
}

// Kind names the job for River.
func (AlertSendArgs) Kind() string { return "alert_send" }

// InsertOpts keeps one send per alert queued at a time.
func (AlertSendArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	}}}
}

type alertSendWorker struct {
	river.WorkerDefaults[AlertSendArgs]
	deps Deps
}

func (w *alertSendWorker) Work(ctx context.Context, job *river.Job[AlertSendArgs]) error {
	if w.deps.Alerts == nil {
		return nil
	}
	sent, err := w.deps.Alerts.Send(ctx, job.Args.AlertID)
	if err == nil && sent > 0 {
		w.deps.Logger.Info("sent job alert", "alert", job.Args.AlertID, "roles", sent)
	}
	return err
}

// AnonymiseApplicationsArgs deletes the personal data of applications
// whose vacancy closed longer ago than the retention period.
type AnonymiseApplicationsArgs struct{}

// Kind names the job for River.
func (AnonymiseApplicationsArgs) Kind() string { return "anonymise_applications" }

type anonymiseApplicationsWorker struct {
	river.WorkerDefaults[AnonymiseApplicationsArgs]
	deps Deps
}

func (w *anonymiseApplicationsWorker) Work(ctx context.Context, _ *river.Job[AnonymiseApplicationsArgs]) error {
	if w.deps.Applications == nil {
		return nil
	}
	n, err := w.deps.Applications.AnonymiseExpired(ctx, time.Now(), time.Duration(w.deps.RetentionDays)*24*time.Hour)
	if err == nil && n > 0 {
		w.deps.Logger.Info("anonymised applications past their retention period", "count", n)
	}
	return err
}

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
		// Each feed has its own interval; this looks for those due.
		every(time.Minute, FeedsDueArgs{}, true),
		// Scheduled roles and pages go live within a minute of their time.
		every(time.Minute, PublishDueArgs{}, true),
		every(time.Minute, PublishDuePagesArgs{}, true),
		every(time.Hour, CleanUpArgs{}, true),
		// Instant alerts go within five minutes; daily and weekly ones when due.
		every(5*time.Minute, AlertsDueArgs{}, true),
		// Retention counts in days: daily is on time.
		every(24*time.Hour, AnonymiseApplicationsArgs{}, true),
	}
}

// NewClient returns a River client that runs every worker and the schedule.
func NewClient(pool *pgxpool.Pool, deps Deps) (*river.Client[pgx.Tx], error) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &search.SyncWorker{Syncer: deps.Syncer})
	if deps.PageSyncer != nil {
		river.AddWorker(workers, &search.PageSyncWorker{Syncer: deps.PageSyncer})
	}
	river.AddWorker(workers, &closeExpiredWorker{deps: deps})
	river.AddWorker(workers, &reconcileWorker{deps: deps})
	river.AddWorker(workers, &feedRunWorker{deps: deps})
	river.AddWorker(workers, &feedsDueWorker{deps: deps})
	river.AddWorker(workers, &publishDueWorker{deps: deps})
	river.AddWorker(workers, &publishDuePagesWorker{deps: deps})
	river.AddWorker(workers, &rebuildWorker{deps: deps})
	river.AddWorker(workers, &applySynonymsWorker{deps: deps})
	river.AddWorker(workers, &cleanUpWorker{deps: deps})
	river.AddWorker(workers, &alertsDueWorker{deps: deps})
	river.AddWorker(workers, &alertSendWorker{deps: deps})
	river.AddWorker(workers, &anonymiseApplicationsWorker{deps: deps})
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		// River reports its queues every few seconds at info: keep its
		// warnings and errors only.
		Logger:       slog.New(atLeast{deps.Logger.Handler(), slog.LevelWarn}),
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

// atLeast passes on only records at or above level.
type atLeast struct {
	slog.Handler
	level slog.Level
}

func (h atLeast) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}

func (h atLeast) WithAttrs(attrs []slog.Attr) slog.Handler {
	return atLeast{h.Handler.WithAttrs(attrs), h.level}
}

func (h atLeast) WithGroup(name string) slog.Handler {
	return atLeast{h.Handler.WithGroup(name), h.level}
}
