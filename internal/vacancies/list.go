package vacancies

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
)

// ListFilter chooses the vacancies the console lists.
type ListFilter struct {
	PartnerID int64  // 0: every partner's (the admin console)
	Status    string // "" for every status
	Source    string // "", SourceManual or SourceFeed
	Query     string // words in the title or the reference
	Page      int    // from 1; 0 means 1
	PerPage   int    // 0 means DefaultPerPage; at most MaxPerPage
}

// Sources a vacancy can come from.
const (
	SourceManual = "manual" // written in the console
	SourceFeed   = "feed"   // listed by one of the partner's feeds
)

// Page sizes of List.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// List returns one page of the vacancies f chooses, most recently updated
// first, with locations, and how many there are in all. An unknown status
// or source is a ValidationError.
func (s *Store) List(ctx context.Context, f ListFilter) (list []Vacancy, total int, err error) {
	defer wrap(&err, "list vacancies")
	errs := ValidationError{}
	if f.Status != "" && !Statuses.Has(f.Status) {
		errs["status"] = "Choose a status from the list"
	}
	if f.Source != "" && f.Source != SourceManual && f.Source != SourceFeed {
		errs["source"] = "Choose where the jobs come from"
	}
	if len(errs) > 0 {
		return nil, 0, errs
	}
	page, perPage := max(f.Page, 1), f.PerPage
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	perPage = min(perPage, MaxPerPage)
	where := `
		WHERE ($1::bigint = 0 OR v.partner_id = $1) AND ($2::text = '' OR v.status = $2)
		  AND ($3::text = '' OR ($3 = 'feed') = ` + fromFeed + `)
		  AND ($4::text = '' OR v.title ILIKE $4 OR v.external_ref ILIKE $4)`
	args := []any{f.PartnerID, f.Status, f.Source, likePattern(f.Query)}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM vacancies v`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	list, err = s.query(ctx, selectVacancy+where+` ORDER BY v.updated_at DESC, v.id DESC LIMIT $5 OFFSET $6`,
		append(args, perPage, (page-1)*perPage)...)
	return list, total, err
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

// StatusCounts counts partnerID's vacancies by status (every status is a
// key, 0 when none), and its live ones by source under "feed" and "manual".
func (s *Store) StatusCounts(ctx context.Context, partnerID int64) (counts map[string]int, err error) {
	defer wrap(&err, "count vacancies of partner %d", partnerID)
	counts = map[string]int{SourceFeed: 0, SourceManual: 0}
	for _, st := range Statuses {
		counts[st.Slug] = 0
	}
	rows, err := s.pool.Query(ctx, `SELECT v.status, `+fromFeed+`, count(*)
		FROM vacancies v WHERE v.partner_id = $1 GROUP BY 1, 2`, partnerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var feed bool
		var n int
		if err := rows.Scan(&status, &feed, &n); err != nil {
			return nil, err
		}
		counts[status] += n
		if status == Live && feed {
			counts[SourceFeed] += n
		} else if status == Live {
			counts[SourceManual] += n
		}
	}
	return counts, rows.Err()
}

// Owner returns the id of the partner vacancy id belongs to, or ErrNotFound.
func (s *Store) Owner(ctx context.Context, id int64) (partnerID int64, err error) {
	defer wrap(&err, "owner of vacancy %d", id)
	err = s.pool.QueryRow(ctx, `SELECT partner_id FROM vacancies WHERE id = $1`, id).Scan(&partnerID)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, ErrNotFound
	}
	return partnerID, err
}

// GetForPartner returns partnerID's vacancy id, in any status; ErrNotFound
// when there is none or it belongs to another partner.
func (s *Store) GetForPartner(ctx context.Context, partnerID, id int64) (v Vacancy, err error) {
	defer wrap(&err, "get vacancy %d of partner %d", id, partnerID)
	v, err = scanVacancy(s.pool.QueryRow(ctx, selectVacancy+` WHERE v.id = $1 AND v.partner_id = $2`, id, partnerID))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, ErrNotFound
	}
	return v, err
}
