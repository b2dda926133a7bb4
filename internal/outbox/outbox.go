// Package outbox is the transactional outbox between PostgreSQL and search:
// a write that changes what search shows calls VacanciesChanged (or
// PagesChanged, SynonymsChanged) inside its own transaction, which inserts
// a River job in that same transaction. The job commits with the write or
// not at all. This package only enqueues; the workers live in packages
// search and jobs.
package outbox

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"
)

// SearchQueue is the River queue search sync jobs run on.
const SearchQueue = "search"

// SyncVacancies asks the search worker to bring these vacancies' search
// documents in line with PostgreSQL (upsert the live, delete the rest).
type SyncVacancies struct {
	IDs []int64 `json:"ids"`
}

// Kind names the job for River.
func (SyncVacancies) Kind() string { return "search_sync_vacancies" }

// InsertOpts puts sync jobs on their own queue and retries them for a day:
// Meilisearch being down must never lose a change.
func (SyncVacancies) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: SearchQueue, MaxAttempts: 25}
}

// Outbox enqueues sync jobs. It is safe for concurrent use.
type Outbox struct {
	client *river.Client[pgx.Tx]
}

// New returns an Outbox inserting through client, which may be an
// insert-only River client (no queues) or the full worker client.
func New(client *river.Client[pgx.Tx]) *Outbox { return &Outbox{client: client} }

// NewInsertOnly builds an insert-only River client on pool, for commands
// that write but do not run workers (seed, the CLI).
func NewInsertOnly(pool *pgxpool.Pool) (*Outbox, error) {
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		return nil, fmt.Errorf("river insert client: %w", err)
	}
	return New(client), nil
}

// chunk bounds one job's payload; bulk writes enqueue several jobs. Large
// chunks let Meilisearch index a bulk import in few tasks.
const chunk = 2000

// VacanciesChanged enqueues sync jobs for ids inside tx.
func (o *Outbox) VacanciesChanged(ctx context.Context, tx pgx.Tx, ids ...int64) error {
	var params []river.InsertManyParams
	for start := 0; start < len(ids); start += chunk {
		end := min(start+chunk, len(ids))
		params = append(params, river.InsertManyParams{Args: SyncVacancies{IDs: ids[start:end]}})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := o.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("enqueue search sync for %d vacancies: %w", len(ids), err)
	}
	return nil
}

// SyncPages asks the search worker to bring these content pages' search
// documents in line with PostgreSQL (upsert the published, delete the rest).
type SyncPages struct {
	IDs []int64 `json:"ids"`
}

// Kind names the job for River.
func (SyncPages) Kind() string { return "search_sync_pages" }

// InsertOpts are those of vacancy syncs: the search queue, retried for a day.
func (SyncPages) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: SearchQueue, MaxAttempts: 25}
}

// PagesChanged enqueues sync jobs for the content pages ids inside tx.
func (o *Outbox) PagesChanged(ctx context.Context, tx pgx.Tx, ids ...int64) error {
	var params []river.InsertManyParams
	for start := 0; start < len(ids); start += chunk {
		end := min(start+chunk, len(ids))
		params = append(params, river.InsertManyParams{Args: SyncPages{IDs: ids[start:end]}})
	}
	if len(params) == 0 {
		return nil
	}
	if _, err := o.client.InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("enqueue search sync for %d pages: %w", len(ids), err)
	}
	return nil
}

// byStateWhileQueued makes a job unique while one waits or runs: asking
// again meanwhile adds nothing, asking after it finished runs it again.
var byStateWhileQueued = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateRetryable, rivertype.JobStateScheduled,
}

// FeedRun pulls one feed. Unique per feed while one is waiting or running,
// so a slow feed never piles up runs. The worker lives in package jobs.
type FeedRun struct {
	FeedID int64 `json:"feed_id"`
}

// Kind names the job for River.
func (FeedRun) Kind() string { return "feed_run" }

// InsertOpts keeps one run per feed queued at a time and retries a failed
// pull a few times with River's backoff.
func (FeedRun) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 4, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: byStateWhileQueued}}
}

// RequestFeedRun asks for a feed to be pulled now; a run already waiting
// or running for it absorbs the request.
func (o *Outbox) RequestFeedRun(ctx context.Context, feedID int64) error {
	if _, err := o.client.Insert(ctx, FeedRun{FeedID: feedID}, nil); err != nil {
		return fmt.Errorf("enqueue a run of feed %d: %w", feedID, err)
	}
	return nil
}

// RebuildIndex asks for the vacancies index to be rebuilt from PostgreSQL
// into a fresh index and swapped in. The worker lives in package jobs.
type RebuildIndex struct{}

// Kind names the job for River.
func (RebuildIndex) Kind() string { return "search_rebuild_index" }

// InsertOpts keeps one rebuild queued or running at a time.
func (RebuildIndex) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: SearchQueue, MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByState: byStateWhileQueued}}
}

// RequestRebuild enqueues a rebuild of the vacancies index, so an admin's
// request returns at once; a rebuild already waiting or running absorbs it.
func (o *Outbox) RequestRebuild(ctx context.Context) error {
	if _, err := o.client.Insert(ctx, RebuildIndex{}, nil); err != nil {
		return fmt.Errorf("enqueue search index rebuild: %w", err)
	}
	return nil
}

// ApplySynonyms asks the search worker to apply the synonyms stored in
// PostgreSQL to the vacancies index. It carries no groups: the worker reads
// the current ones, so a late or repeated job applies the latest edit.
type ApplySynonyms struct{}

// Kind names the job for River.
func (ApplySynonyms) Kind() string { return "search_apply_synonyms" }

// InsertOpts retries for a day, as for vacancy syncs. The jobs are not
// unique: River's uniqueness would also count a running job, which may
// have read the groups before this edit.
func (ApplySynonyms) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: SearchQueue, MaxAttempts: 25}
}

// SynonymsChanged enqueues the application of the stored synonyms inside
// tx, the transaction that changed them.
func (o *Outbox) SynonymsChanged(ctx context.Context, tx pgx.Tx) error {
	if _, err := o.client.InsertTx(ctx, tx, ApplySynonyms{}, nil); err != nil {
		return fmt.Errorf("enqueue search synonyms update: %w", err)
	}
	return nil
}
