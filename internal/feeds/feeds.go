// Package feeds pulls partners' vacancies from their own recruitment
// systems: it owns the feeds, their runs and rejected items, fetching
// (conditional, bounded) and the run that turns a document into saved
// vacancies, closing those a complete run no longer lists. Parsing lives
// in formats and normalising in normalise; saving goes through package
// vacancies, so search sync leaves through the outbox. It must not call
// Meilisearch or know HTTP handlers.
package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/feeds/normalise"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// ErrNotFound is returned when no feed matches.
var ErrNotFound = errors.New("feed not found")

// Formats are the feed formats the portal reads.
var Formats = []string{"indeed", "nhsjobs", "jsonld", "csv", "json"}

// Feed is one partner's source of vacancies.
type Feed struct {
	ID           int64
	PartnerID    int64
	PartnerSlug  string
	PartnerName  string
	URL          string
	Format       string
	Every        time.Duration
	Mapping      formats.Mapping
	AuthHeader   string // e.g. "Authorization"
	AuthEnv      string // environment variable holding the header's value
	ETag         string
	LastModified string
	CreatedAt    time.Time
	LastRun      *Run // the latest run, on listings
}

// Run is one pull of a feed.
type Run struct {
	ID           int64
	FeedID       int64
	StartedAt    time.Time
	FinishedAt   *time.Time
	Status       string // running, succeeded, not_modified, failed, abandoned
	FetchedBytes int64
	Items        int
	Created      int
	Updated      int
	Unchanged    int
	Closed       int
	Rejected     int
	Error        string
}

// Rejection is an item a run skipped, and why.
type Rejection struct {
	Position  int
	Reference string
	Field     string
	Reason    string
}

var envName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)

// Validate returns a message per field that is wrong.
func (f Feed) Validate() map[string]string {
	errs := map[string]string{}
	if f.PartnerID == 0 {
		errs["partner"] = "Choose the partner the feed belongs to"
	}
	u, err := url.Parse(f.URL)
	switch {
	case err != nil || strings.ContainsAny(f.URL, " \t\n"):
		errs["url"] = "Enter the feed's address"
	case u.Scheme == "file" && u.Path == "":
		errs["url"] = "A file:// address needs a path, like file:///srv/feeds/jobs.xml"
	case u.Scheme != "file" && ((u.Scheme != "http" && u.Scheme != "https") || u.Host == ""):
		errs["url"] = "The address must start with https://, http:// or file://"
	}
	if !contains(Formats, f.Format) {
		errs["format"] = "Format must be one of " + strings.Join(Formats, ", ")
	}
	if f.Every < 5*time.Minute {
		errs["every"] = "Check the feed at most every 5 minutes"
	}
	if (f.AuthHeader == "") != (f.AuthEnv == "") {
		errs["auth"] = "Give both the header name and the environment variable holding its value, or neither"
	} else if f.AuthEnv != "" && !envName.MatchString(f.AuthEnv) {
		errs["auth"] = "The environment variable name must be upper-case letters, digits and underscores"
	}
	if (f.Format == "csv" || f.Format == "json") && len(f.Mapping.Fields) == 0 {
		errs["mapping"] = "CSV and JSON feeds need a mapping of their columns to ours (--mapping FILE)"
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Store reads and writes feeds, runs and rejections.
type Store struct{ pool *pgxpool.Pool }

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// ValidationError carries field errors.
type ValidationError map[string]string

func (e ValidationError) Error() string {
	var parts []string
	for _, k := range []string{"partner", "url", "format", "every", "auth", "mapping"} {
		if msg, ok := e[k]; ok {
			parts = append(parts, msg)
		}
	}
	return strings.Join(parts, "; ")
}

// Add creates a feed and returns its id.
func (s *Store) Add(ctx context.Context, f Feed) (id int64, err error) {
	errs := f.Validate()
	if problems := normalise.CheckMapping(f.Mapping, nil); len(problems) > 0 {
		var list []string
		for key, msg := range problems {
			list = append(list, key+": "+msg)
		}
		sort.Strings(list)
		errs["mapping"] = "The mapping has entries the portal does not know: " + strings.Join(list, "; ")
	}
	if len(errs) > 0 {
		return 0, ValidationError(errs)
	}
	mapping, err := json.Marshal(f.Mapping)
	if err != nil {
		return 0, err
	}
	err = s.pool.QueryRow(ctx, `INSERT INTO feeds (partner_id, url, format, every, mapping, auth_header, auth_env)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		f.PartnerID, f.URL, f.Format, f.Every, mapping, f.AuthHeader, f.AuthEnv).Scan(&id)
	if err != nil && strings.Contains(err.Error(), "feeds_partner_id_url_key") {
		return 0, ValidationError{"url": "This partner already has a feed at that address"}
	}
	return id, wrapErr(err, "add feed")
}

const selectFeed = `
	SELECT f.id, f.partner_id, p.slug, p.name, f.url, f.format, f.every, f.mapping, f.auth_header, f.auth_env,
	       f.etag, f.last_modified, f.created_at
	FROM feeds f JOIN partners p ON p.id = f.partner_id`

func scanFeed(row pgx.Row) (f Feed, err error) {
	var mapping []byte
	err = row.Scan(&f.ID, &f.PartnerID, &f.PartnerSlug, &f.PartnerName, &f.URL, &f.Format, &f.Every, &mapping,
		&f.AuthHeader, &f.AuthEnv, &f.ETag, &f.LastModified, &f.CreatedAt)
	if err == nil {
		err = json.Unmarshal(mapping, &f.Mapping)
	}
	return f, err
}

// Get returns the feed with id, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Feed, error) {
	f, err := scanFeed(s.pool.QueryRow(ctx, selectFeed+` WHERE f.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return f, ErrNotFound
	}
	return f, wrapErr(err, fmt.Sprintf("get feed %d", id))
}

// List returns every feed with its latest run.
func (s *Store) List(ctx context.Context) ([]Feed, error) {
	rows, err := s.pool.Query(ctx, selectFeed+` ORDER BY f.id`)
	if err != nil {
		return nil, wrapErr(err, "list feeds")
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Feed, error) { return scanFeed(row) })
	if err != nil {
		return nil, wrapErr(err, "list feeds")
	}
	rows, err = s.pool.Query(ctx, `SELECT DISTINCT ON (feed_id) `+runColumns+` FROM feed_runs
		ORDER BY feed_id, started_at DESC, id DESC`)
	if err != nil {
		return nil, wrapErr(err, "latest runs")
	}
	latest, err := pgx.CollectRows(rows, scanRun)
	if err != nil {
		return nil, wrapErr(err, "latest runs")
	}
	byFeed := map[int64]*Run{}
	for i := range latest {
		byFeed[latest[i].FeedID] = &latest[i]
	}
	for i := range list {
		list[i].LastRun = byFeed[list[i].ID]
	}
	return list, nil
}

const runColumns = `id, feed_id, started_at, finished_at, status, fetched_bytes, items, created, updated, unchanged,
	closed, rejected, error`

func scanRun(row pgx.CollectableRow) (r Run, err error) {
	err = row.Scan(&r.ID, &r.FeedID, &r.StartedAt, &r.FinishedAt, &r.Status, &r.FetchedBytes, &r.Items, &r.Created,
		&r.Updated, &r.Unchanged, &r.Closed, &r.Rejected, &r.Error)
	return r, err
}

// Due returns the ids of feeds whose last run started longer ago than
// their interval (or that never ran), as of now.
func (s *Store) Due(ctx context.Context, now time.Time) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT f.id FROM feeds f
		WHERE coalesce((SELECT max(r.started_at) FROM feed_runs r WHERE r.feed_id = f.id), '-infinity') <= $1::timestamptz - f.every
		ORDER BY f.id`, now)
	if err != nil {
		return nil, wrapErr(err, "due feeds")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	return ids, wrapErr(err, "due feeds")
}

// Runs returns a feed's latest runs, newest first.
func (s *Store) Runs(ctx context.Context, feedID int64, limit int) ([]Run, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+runColumns+` FROM feed_runs WHERE feed_id = $1
		ORDER BY started_at DESC, id DESC LIMIT $2`, feedID, limit)
	if err != nil {
		return nil, wrapErr(err, "list runs")
	}
	runs, err := pgx.CollectRows(rows, scanRun)
	return runs, wrapErr(err, "list runs")
}

// Rejections returns the items a run skipped, in document order.
func (s *Store) Rejections(ctx context.Context, runID int64) ([]Rejection, error) {
	rows, err := s.pool.Query(ctx, `SELECT position, reference, field, reason FROM feed_rejections
		WHERE run_id = $1 ORDER BY position`, runID)
	if err != nil {
		return nil, wrapErr(err, "list rejections")
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Rejection])
	return list, wrapErr(err, "list rejections")
}

// Health is a feed that needs attention: its last run failed, or it is
// overdue (no successful run for three intervals).
type Health struct {
	FeedID  int64  `json:"feed_id"`
	Partner string `json:"partner"`
	URL     string `json:"url"`
	Problem string `json:"problem"`
}

// Unhealthy lists feeds whose last finished run failed or that have not
// succeeded for three of their intervals.
func (s *Store) Unhealthy(ctx context.Context, now time.Time) ([]Health, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT f.id, p.slug, f.url,
		       CASE WHEN last.status IN ('failed', 'abandoned') THEN 'last run failed: ' || last.error
		            ELSE 'no successful run since ' || coalesce(to_char(ok.at, 'YYYY-MM-DD HH24:MI'), 'it was added') END
		FROM feeds f JOIN partners p ON p.id = f.partner_id
		LEFT JOIN LATERAL (SELECT status, error FROM feed_runs r WHERE r.feed_id = f.id AND r.status <> 'running'
		                   ORDER BY started_at DESC LIMIT 1) last ON true
		LEFT JOIN LATERAL (SELECT max(started_at) AS at FROM feed_runs r WHERE r.feed_id = f.id
		                   AND r.status IN ('succeeded', 'not_modified')) ok ON true
		WHERE last.status IN ('failed', 'abandoned')
		   OR coalesce(ok.at, f.created_at) < $1::timestamptz - 3 * f.every
		ORDER BY f.id`, now)
	if err != nil {
		return nil, wrapErr(err, "feed health")
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Health])
	return list, wrapErr(err, "feed health")
}

func wrapErr(err error, op string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Remove deletes a feed with its runs, and closes the live vacancies that
// only it listed (nothing would ever close them otherwise). It returns how
// many it closed.
func (s *Store) Remove(ctx context.Context, id int64, vs *vacancies.Store) (closed int, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT s.vacancy_id FROM vacancy_sources s WHERE s.feed_id = $1
			AND NOT EXISTS (SELECT 1 FROM vacancy_sources o WHERE o.vacancy_id = s.vacancy_id AND o.feed_id <> $1)`, id)
		if err != nil {
			return err
		}
		only, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM feeds WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		ids, err := vs.CloseTx(ctx, tx, only)
		closed = len(ids)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return 0, err
	}
	return closed, wrapErr(err, fmt.Sprintf("remove feed %d", id))
}
