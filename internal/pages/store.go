package pages

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/outbox"
)

// Store reads and writes pages, their revisions, media and campaign counts.
type Store struct {
	pool   *pgxpool.Pool
	outbox *outbox.Outbox
	now    func() time.Time
}

// NewStore returns a Store on pool whose writes enqueue search sync jobs
// through ob.
func NewStore(pool *pgxpool.Pool, ob *outbox.Outbox) *Store {
	return &Store{pool: pool, outbox: ob, now: time.Now}
}

// SetClock replaces the clock the store reads "now" from (scheduling,
// edit times, campaign days), for tests.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// selectPage reads a page with the name of whoever last changed it.
const selectPage = `
	SELECT p.id, p.kind, p.slug, p.title, p.summary, p.body, p.places, p.staff_groups, p.tags,
	       p.hero_image, p.hero_alt, p.status, p.publish_at, p.published_at, p.updated_at, p.edited_at,
	       p.shipped_hash <> '', coalesce(u.name, '')
	FROM pages p LEFT JOIN users u ON u.id = p.updated_by`

func scanPage(row pgx.Row) (p Page, err error) {
	var publishAt, publishedAt, editedAt *time.Time
	err = row.Scan(&p.ID, &p.Kind, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.Places, &p.StaffGroups, &p.Tags,
		&p.HeroImage, &p.HeroAlt, &p.Status, &publishAt, &publishedAt, &p.UpdatedAt, &editedAt,
		&p.Shipped, &p.UpdatedByName)
	p.PublishAt, p.PublishedAt, p.EditedAt = orZero(publishAt), orZero(publishedAt), orZero(editedAt)
	return p, err
}

func (s *Store) query(ctx context.Context, sql string, args ...any) ([]Page, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Page, error) { return scanPage(row) })
}

func (s *Store) one(ctx context.Context, sql string, args ...any) (Page, error) {
	p, err := scanPage(s.pool.QueryRow(ctx, sql, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return Page{}, ErrNotFound
	}
	return p, err
}

// Get returns the page with id, in any status, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (p Page, err error) {
	defer wrap(&err, "get page %d", id)
	return s.one(ctx, selectPage+` WHERE p.id = $1`, id)
}

// GetMany returns the pages among ids that exist, in any status, in id
// order: the search sync upserts the live ones and deletes the rest.
func (s *Store) GetMany(ctx context.Context, ids []int64) (list []Page, err error) {
	defer wrap(&err, "get %d pages", len(ids))
	return s.query(ctx, selectPage+` WHERE p.id = ANY($1) ORDER BY p.id`, ids)
}

// Live returns the published page of kind with slug, or ErrNotFound for
// one that does not exist or is not published.
func (s *Store) Live(ctx context.Context, kind Kind, slug string) (p Page, err error) {
	defer wrap(&err, "get live page %s%s", kind.Prefix(), slug)
	return s.one(ctx, selectPage+` WHERE p.kind = $1 AND p.slug = $2 AND p.status = 'published'`, kind, slug)
}

// ListLive returns up to limit published pages of kind (every kind for
// ""), newest first; limit 0 or less means all of them.
func (s *Store) ListLive(ctx context.Context, kind Kind, limit int) (list []Page, err error) {
	defer wrap(&err, "list live pages of kind %q", kind)
	var max any // NULL: LIMIT ALL
	if limit > 0 {
		max = limit
	}
	return s.query(ctx, selectPage+` WHERE p.status = 'published' AND ($1::text = '' OR p.kind = $1)
		ORDER BY p.published_at DESC NULLS LAST, p.id DESC LIMIT $2`, string(kind), max)
}

// liveBatch is how many pages EachLive reads at a time.
const liveBatch = 500

// EachLive calls fn with every published page, in batches, in id order,
// reading with keyset pagination so memory stays flat.
func (s *Store) EachLive(ctx context.Context, fn func([]Page) error) (err error) {
	defer wrap(&err, "list live pages")
	var after int64
	for {
		batch, err := s.query(ctx, selectPage+` WHERE p.id > $1 AND p.status = 'published' ORDER BY p.id LIMIT $2`,
			after, liveBatch)
		if err != nil || len(batch) == 0 {
			return err
		}
		if err := fn(batch); err != nil {
			return err
		}
		after = batch[len(batch)-1].ID
	}
}

// Filter chooses the pages the editor list shows.
type Filter struct {
	Kind    Kind   // "" for every kind
	Status  string // "" for every status
	Query   string // words in the title or the address
	Page    int    // from 1; 0 means 1
	PerPage int    // 0 means DefaultPerPage; at most MaxPerPage
}

// Page sizes of List.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

var statuses = []string{Draft, Scheduled, Published, Unpublished}

// List returns one page of the pages f chooses, most recently updated
// first, and how many there are in all. An unknown kind or status is a
// ValidationError.
func (s *Store) List(ctx context.Context, f Filter) (list []Page, total int, err error) {
	defer wrap(&err, "list pages")
	errs := ValidationError{}
	if f.Kind != "" && !f.Kind.Valid() {
		errs["kind"] = "Choose a kind of page from the list"
	}
	if f.Status != "" && !slices.Contains(statuses, f.Status) {
		errs["status"] = "Choose a status from the list"
	}
	if len(errs) > 0 {
		return nil, 0, errs
	}
	page, perPage := max(f.Page, 1), f.PerPage
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	perPage = min(perPage, MaxPerPage)
	where := ` WHERE ($1::text = '' OR p.kind = $1) AND ($2::text = '' OR p.status = $2)
		AND ($3::text = '' OR p.title ILIKE $3 OR p.slug ILIKE $3)`
	args := []any{string(f.Kind), f.Status, likePattern(f.Query)}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pages p`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, err = s.query(ctx, selectPage+where+` ORDER BY p.updated_at DESC, p.id DESC LIMIT $4 OFFSET $5`,
		append(args, perPage, (page-1)*perPage)...)
	return list, total, err
}

// Related finds what a vacancy page links to: the live area guide covering
// most of places (matched case-insensitively), and the live career pathway
// for staffGroup, preferring one that lists it first and then the most
// specific (fewest staff groups), so a nurse is shown the nursing pathway
// rather than one on apprenticeships for everyone. Among equals the newest
// wins, then the oldest page. nil when there is none.
func (s *Store) Related(ctx context.Context, places []string, staffGroup string) (guide, pathway *Page, err error) {
	defer wrap(&err, "related pages for %q in %v", staffGroup, places)
	lower := make([]string, 0, len(places))
	for _, pl := range places {
		if pl = strings.ToLower(strings.TrimSpace(pl)); pl != "" {
			lower = append(lower, pl)
		}
	}
	if len(lower) > 0 {
		guide, err = s.optional(ctx, selectPage+` WHERE p.kind = 'area-guide' AND p.status = 'published'
			AND EXISTS (SELECT 1 FROM unnest(p.places) pl WHERE lower(pl) = ANY($1))
			ORDER BY (SELECT count(*) FROM unnest(p.places) pl WHERE lower(pl) = ANY($1)) DESC,
				p.published_at DESC NULLS LAST, p.id LIMIT 1`, lower)
		if err != nil {
			return nil, nil, err
		}
	}
	if staffGroup != "" {
		pathway, err = s.optional(ctx, selectPage+` WHERE p.kind = 'career-pathway' AND p.status = 'published'
			AND $1 = ANY(p.staff_groups)
			ORDER BY array_position(p.staff_groups, $1), cardinality(p.staff_groups),
				p.published_at DESC NULLS LAST, p.id LIMIT 1`, staffGroup)
		if err != nil {
			return nil, nil, err
		}
	}
	return guide, pathway, nil
}

// optional is one for a page that may not exist: nil, not ErrNotFound.
func (s *Store) optional(ctx context.Context, sql string, args ...any) (*Page, error) {
	p, err := s.one(ctx, sql, args...)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// likePattern matches q anywhere, its LIKE wildcards taken literally; ""
// for an empty q.
func likePattern(q string) string {
	q = strings.TrimSpace(q)
	if q == "" {
		return ""
	}
	return "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
}

func orZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// nullTime is NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// nullID is NULL for id 0: no user.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// wrap adds the operation to err, leaving the errors callers test for and
// show people as they are.
func wrap(err *error, format string, args ...any) {
	var invalid ValidationError
	if *err != nil && !errors.Is(*err, ErrNotFound) && !errors.Is(*err, ErrSlugTaken) && !errors.As(*err, &invalid) {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}
