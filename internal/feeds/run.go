package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/feeds/normalise"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// Runner pulls feeds.
type Runner struct {
	Pool      *pgxpool.Pool
	Feeds     *Store
	Vacancies *vacancies.Store
	Fetcher   *Fetcher
	Gazetteer *geo.Gazetteer
	Logger    *slog.Logger
	Now       func() time.Time
}

// Progress is told how far a run has got: items read and bytes fetched.
type Progress func(items int, bytes int64)

// batchSize is how many vacancies are saved per database round trip.
const batchSize = 2000

// ErrBusy is returned when another run of the same feed holds its lock.
var ErrBusy = errors.New("another run of this feed is in progress")

// Run pulls one feed: fetch, parse, normalise and save in one transaction,
// so a run that fails as a whole (fetch, malformed document, crash)
// changes nothing; rejected items are recorded and skipped while the rest
// import. After a complete run, the feed's vacancies it no longer lists are
// closed. The run is recorded either way and returned.
func (r *Runner) Run(ctx context.Context, feedID int64, progress Progress) (Run, error) {
	feed, err := r.Feeds.Get(ctx, feedID)
	if err != nil {
		return Run{}, err
	}
	run, err := r.start(ctx, feedID)
	if err != nil {
		return run, err
	}
	doc, err := r.Fetcher.Open(ctx, feed)
	if err != nil {
		return r.finish(run, "failed", err)
	}
	if doc.NotModified {
		return r.finish(run, "not_modified", nil)
	}
	defer doc.Body.Close()
	err = pgx.BeginFunc(ctx, r.Pool, func(tx pgx.Tx) error {
		var locked bool
		if err := tx.QueryRow(ctx, `SELECT pg_try_advisory_xact_lock(7340, $1::int)`, feed.ID).Scan(&locked); err != nil {
			return err
		}
		if !locked {
			return ErrBusy
		}
		// The run's batches repeat the same statements while the tables
		// grow inside this one transaction: generic plans made when they
		// were small get slower and slower, so plan each execution.
		if _, err := tx.Exec(ctx, `SET LOCAL plan_cache_mode = force_custom_plan`); err != nil {
			return err
		}
		imp := &importer{runner: r, tx: tx, feed: feed, run: &run, seen: map[string]int{}, progress: progress, doc: doc}
		if err := imp.parse(ctx); err != nil {
			return err
		}
		run.FetchedBytes = doc.Bytes()
		return imp.complete(ctx, doc)
	})
	run.FetchedBytes = doc.Bytes()
	if err != nil {
		run.Created, run.Updated, run.Unchanged, run.Closed = 0, 0, 0, 0
		return r.finish(run, "failed", err)
	}
	return r.finish(run, "succeeded", nil)
}

// start records a new run, first marking any run of this feed still
// "running" as abandoned: its process died before finishing.
func (r *Runner) start(ctx context.Context, feedID int64) (Run, error) {
	run := Run{FeedID: feedID, Status: "running"}
	_, err := r.Pool.Exec(ctx, `UPDATE feed_runs SET status = 'abandoned', finished_at = now(),
		error = 'the run stopped before it finished; nothing it read was saved'
		WHERE feed_id = $1 AND status = 'running' AND started_at < now() - interval '1 hour'`, feedID)
	if err != nil {
		return run, fmt.Errorf("record run: %w", err)
	}
	err = r.Pool.QueryRow(ctx, `INSERT INTO feed_runs (feed_id, started_at) VALUES ($1, $2) RETURNING id, started_at`,
		feedID, r.Now()).Scan(&run.ID, &run.StartedAt)
	if err != nil {
		return run, fmt.Errorf("record run: %w", err)
	}
	return run, nil
}

// finish records how the run ended. It uses its own context so a run
// cancelled midway is still recorded.
func (r *Runner) finish(run Run, status string, cause error) (Run, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	run.Status = status
	if cause != nil {
		run.Error = oneLine(cause)
	}
	finished := r.Now()
	run.FinishedAt = &finished
	_, err := r.Pool.Exec(ctx, `UPDATE feed_runs SET status = $2, finished_at = $3, fetched_bytes = $4, items = $5,
		created = $6, updated = $7, unchanged = $8, closed = $9, rejected = $10, error = $11 WHERE id = $1`,
		run.ID, run.Status, finished, run.FetchedBytes, run.Items, run.Created, run.Updated, run.Unchanged,
		run.Closed, run.Rejected, run.Error)
	if err != nil {
		return run, fmt.Errorf("record run %d: %w", run.ID, err)
	}
	if cause != nil {
		return run, cause
	}
	return run, nil
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// importer holds one run's state inside its transaction.
type importer struct {
	runner   *Runner
	tx       pgx.Tx
	feed     Feed
	run      *Run
	doc      Document
	progress Progress
	pending  []pendingItem
	seen     map[string]int // reference -> position of its first item in this run
	rejected []Rejection
	touched  []string // references of rejected items: still listed, so not closed
}

type pendingItem struct {
	reference string
	vacancy   vacancies.Vacancy
}

func (imp *importer) parse(ctx context.Context) error {
	parser, ok := formats.ByName(imp.feed.Format)
	if !ok {
		return fmt.Errorf("unknown feed format %q", imp.feed.Format)
	}
	mapping := imp.feed.Mapping
	if mapping.Fields == nil {
		mapping.Fields = map[string]string{}
	}
	mapping.Fields["base_url"] = imp.feed.URL
	// normalise takes the calendar date in London from the time itself.
	nc := normalise.Context{PartnerID: imp.feed.PartnerID, Mapping: imp.feed.Mapping, Gazetteer: imp.runner.Gazetteer,
		Today: imp.runner.Now()}
	return parser(ctx, imp.doc.Body, mapping, imp.runner.Fetcher.Page(imp.feed), func(item formats.Item) error {
		imp.run.Items++
		if imp.progress != nil {
			imp.progress(imp.run.Items, imp.doc.Bytes())
		}
		return imp.take(ctx, item, nc)
	})
}

// take normalises one item and queues it, or records why not.
func (imp *importer) take(ctx context.Context, item formats.Item, nc normalise.Context) error {
	v, err := normalise.Vacancy(item, nc)
	var rej *normalise.Rejection
	if errors.As(err, &rej) {
		imp.reject(item, rej.Field, rej.Reason)
		return nil
	} else if err != nil {
		return err
	}
	if first, dup := imp.seen[v.ExternalRef]; dup {
		imp.reject(item, "external_ref", fmt.Sprintf("the same reference as item %d, which was imported", first))
		return nil
	}
	imp.seen[v.ExternalRef] = item.Position
	imp.pending = append(imp.pending, pendingItem{reference: v.ExternalRef, vacancy: v})
	if len(imp.pending) >= batchSize {
		return imp.flush(ctx)
	}
	return nil
}

func (imp *importer) reject(item formats.Item, field, reason string) {
	ref := strings.TrimSpace(item.Reference)
	imp.rejected = append(imp.rejected, Rejection{Position: item.Position, Reference: ref, Field: field, Reason: reason})
	imp.run.Rejected++
	if ref != "" {
		imp.touched = append(imp.touched, ref)
	}
}

// flush saves the queued vacancies in one round trip and records which
// feed listed them under which reference.
func (imp *importer) flush(ctx context.Context) error {
	if len(imp.pending) == 0 {
		return nil
	}
	if err := imp.resolveAliases(ctx); err != nil {
		return err
	}
	list := make([]vacancies.Vacancy, len(imp.pending))
	for i, p := range imp.pending {
		list[i] = p.vacancy
	}
	results, err := imp.runner.Vacancies.SaveTx(ctx, imp.tx, list)
	if err != nil {
		return err
	}
	ids, refs := make([]int64, len(results)), make([]string, len(results))
	for i, res := range results {
		switch {
		case res.Created:
			imp.run.Created++
		case res.Changed:
			imp.run.Updated++
		default:
			imp.run.Unchanged++
		}
		ids[i], refs[i] = res.ID, imp.pending[i].reference
	}
	_, err = imp.tx.Exec(ctx, `INSERT INTO vacancy_sources (vacancy_id, feed_id, reference, seen_run)
		SELECT id, $3, ref, $4 FROM unnest($1::bigint[], $2::text[]) AS s (id, ref)
		ON CONFLICT (feed_id, reference) DO UPDATE SET vacancy_id = excluded.vacancy_id, seen_run = excluded.seen_run`,
		ids, refs, imp.feed.ID, imp.run.ID)
	imp.pending = imp.pending[:0]
	return err
}

// resolveAliases points queued items at the vacancy they already are: one
// this feed listed before under the same reference, or the same role sent
// by another feed of the partner under another reference (same title,
// closing date and main place), so it shows once.
func (imp *importer) resolveAliases(ctx context.Context) error {
	refs := make([]string, len(imp.pending))
	titles, closings, places := make([]string, len(imp.pending)), make([]time.Time, len(imp.pending)), make([]string, len(imp.pending))
	for i, p := range imp.pending {
		refs[i] = p.reference
		titles[i] = strings.ToLower(strings.TrimSpace(p.vacancy.Title))
		closings[i] = p.vacancy.ClosingOn
		places[i] = strings.ToLower(p.vacancy.Locations[0].Name)
	}
	type pair struct {
		Key      string
		External string
	}
	rows, err := imp.tx.Query(ctx, `
		SELECT s.reference, v.external_ref FROM vacancy_sources s JOIN vacancies v ON v.id = s.vacancy_id
		WHERE s.feed_id = $1 AND s.reference = ANY($2)`, imp.feed.ID, refs)
	if err != nil {
		return err
	}
	knownRows, err := pgx.CollectRows(rows, pgx.RowToStructByPos[pair])
	if err != nil {
		return err
	}
	known := map[string]string{}
	for _, k := range knownRows {
		known[k.Key] = k.External
	}
	rows, err = imp.tx.Query(ctx, `
		SELECT m.ord::text, v.external_ref
		FROM unnest($2::text[], $3::date[], $4::text[]) WITH ORDINALITY AS m (title, closing, place, ord)
		JOIN vacancies v ON v.partner_id = $1 AND v.status = 'live' AND lower(btrim(v.title)) = m.title
		                AND v.closing_on = m.closing
		JOIN vacancy_locations l ON l.vacancy_id = v.id AND l.position = 0 AND lower(l.name) = m.place
		WHERE EXISTS (SELECT 1 FROM vacancy_sources s WHERE s.vacancy_id = v.id AND s.feed_id <> $5)`,
		imp.feed.PartnerID, titles, closings, places, imp.feed.ID)
	if err != nil {
		return err
	}
	twinRows, err := pgx.CollectRows(rows, pgx.RowToStructByPos[pair])
	if err != nil {
		return err
	}
	twins := map[string]string{}
	for _, t := range twinRows {
		twins[t.Key] = t.External
	}
	for i := range imp.pending {
		if external, ok := known[imp.pending[i].reference]; ok {
			imp.pending[i].vacancy.ExternalRef = external
		} else if external, ok := twins[strconv.Itoa(i+1)]; ok {
			imp.pending[i].vacancy.ExternalRef = external
		}
	}
	return nil
}

// complete saves what is queued, records rejections, closes the feed's
// vacancies this run no longer lists, and keeps the document's validators.
func (imp *importer) complete(ctx context.Context, doc Document) error {
	if err := imp.flush(ctx); err != nil {
		return err
	}
	tx, run := imp.tx, imp.run
	if len(imp.touched) > 0 {
		if _, err := tx.Exec(ctx, `UPDATE vacancy_sources SET seen_run = $3 WHERE feed_id = $1 AND reference = ANY($2)`,
			imp.feed.ID, imp.touched, run.ID); err != nil {
			return err
		}
	}
	if len(imp.rejected) > 0 {
		rows := make([][]any, len(imp.rejected))
		for i, rj := range imp.rejected {
			rows[i] = []any{run.ID, rj.Position, rj.Reference, rj.Field, rj.Reason}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"feed_rejections"},
			[]string{"run_id", "position", "reference", "field", "reason"}, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
	}
	// An item rejected without a reference (a job page that failed to load,
	// say) might be any of the feed's roles: then nothing is closed.
	for _, rj := range imp.rejected {
		if rj.Reference == "" {
			imp.runner.Logger.Info("feed run left roles open: an item without a reference was rejected",
				"feed", imp.feed.ID, "position", rj.Position)
			return imp.keepValidators(ctx, doc)
		}
	}
	// Vacancies this feed no longer lists, and no other feed lists either.
	rows, err := tx.Query(ctx, `
		WITH dropped AS (DELETE FROM vacancy_sources WHERE feed_id = $1 AND seen_run <> $2 RETURNING vacancy_id)
		SELECT DISTINCT d.vacancy_id FROM dropped d
		WHERE NOT EXISTS (SELECT 1 FROM vacancy_sources s
		                  WHERE s.vacancy_id = d.vacancy_id AND NOT (s.feed_id = $1 AND s.seen_run <> $2))`,
		imp.feed.ID, run.ID)
	if err != nil {
		return err
	}
	gone, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	closed, err := imp.runner.Vacancies.CloseTx(ctx, tx, gone)
	if err != nil {
		return err
	}
	run.Closed = len(closed)
	return imp.keepValidators(ctx, doc)
}

// keepValidators stores the document's ETag and Last-Modified for the next
// conditional fetch.
func (imp *importer) keepValidators(ctx context.Context, doc Document) error {
	_, err := imp.tx.Exec(ctx, `UPDATE feeds SET etag = $2, last_modified = $3 WHERE id = $1`,
		imp.feed.ID, doc.ETag, doc.LastModified)
	return err
}

// NewRunner returns a Runner with the standard fetch limits: two minutes
// per request and DefaultMaxBytes per document.
func NewRunner(pool *pgxpool.Pool, vs *vacancies.Store, gaz *geo.Gazetteer, logger *slog.Logger) *Runner {
	return &Runner{Pool: pool, Feeds: NewStore(pool), Vacancies: vs, Fetcher: NewFetcher(2 * time.Minute),
		Gazetteer: gaz, Logger: logger, Now: time.Now}
}
