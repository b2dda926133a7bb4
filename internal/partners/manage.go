package partners

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The admin console's operations on partners, and the partner admin's own
// profile.

// Get returns the partner with id, active or not, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (p Partner, err error) {
	defer wrap(&err, "partner %d", id)
	err = scan(s.pool.QueryRow(ctx, selectPartner+` WHERE p.id = $1`, id), &p)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	}
	return p, err
}

// ListFilter chooses the partners List returns.
type ListFilter struct {
	Query           string // words in the name or slug; "" for all
	IncludeInactive bool
}

// List returns the partners f chooses by name, with their live counts.
func (s *Store) List(ctx context.Context, f ListFilter) (list []Partner, err error) {
	defer wrap(&err, "list partners")
	pattern := ""
	if q := strings.TrimSpace(f.Query); q != "" {
		pattern = "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q) + "%"
	}
	rows, err := s.pool.Query(ctx, selectPartner+`
		WHERE ($1 OR p.active) AND ($2::text = '' OR p.name ILIKE $2 OR p.slug ILIKE $2)
		ORDER BY lower(p.name), p.id`, f.IncludeInactive, pattern)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p Partner
		if err := scan(rows, &p); err != nil {
			return nil, err
		}
		list = append(list, p)
	}
	return list, rows.Err()
}

// Create adds a partner, active, and returns its id. An empty slug is made
// from the name. A slug in use is ErrSlugTaken.
func (s *Store) Create(ctx context.Context, p Partner) (id int64, err error) {
	defer wrap(&err, "create partner %q", p.Name)
	if p.Slug == "" {
		p.Slug = Slugify(p.Name)
	}
	if errs := p.Validate(); len(errs) > 0 {
		return 0, ValidationError(errs)
	}
	err = s.pool.QueryRow(ctx, `INSERT INTO partners (slug, name, type, website, about)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		p.Slug, strings.TrimSpace(p.Name), p.Type, p.Website, p.About).Scan(&id)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return 0, ErrSlugTaken
	}
	return id, err
}

// Update changes partner id's name, type, website and about text; its slug
// stays, since it is in every link to the partner. A new name or type is
// on every search document of the partner's, so their sync is enqueued in
// the same transaction.
func (s *Store) Update(ctx context.Context, id int64, p Partner) (err error) {
	defer wrap(&err, "update partner %d", id)
	errs := p.Validate()
	delete(errs, "slug") // not changed here
	if len(errs) > 0 {
		return ValidationError(errs)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var shownChanged bool
		err := tx.QueryRow(ctx, `
			WITH before AS (SELECT name, type FROM partners WHERE id = $1 FOR UPDATE)
			UPDATE partners p SET name = $2, type = $3, website = $4, about = $5, updated_at = now()
			FROM before WHERE p.id = $1
			RETURNING (before.name, before.type) IS DISTINCT FROM (p.name, p.type)`,
			id, strings.TrimSpace(p.Name), p.Type, p.Website, p.About).Scan(&shownChanged)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		} else if err != nil || !shownChanged {
			return err
		}
		return s.syncVacancies(ctx, tx, id)
	})
}

// UpdateProfile changes what a partner's own admin may: the about text
// and the website. Neither is in search.
func (s *Store) UpdateProfile(ctx context.Context, id int64, about, website string) (err error) {
	defer wrap(&err, "update profile of partner %d", id)
	website = strings.TrimSpace(website)
	errs := ValidationError{}
	if msg := validateWebsite(website); msg != "" {
		errs["website"] = msg
	}
	if len(about) > maxAbout {
		errs["about"] = msgAboutTooLong
	}
	if len(errs) > 0 {
		return errs
	}
	tag, err := s.pool.Exec(ctx, `UPDATE partners SET about = $2, website = $3, updated_at = now() WHERE id = $1`,
		id, about, website)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return err
}

// SetActive switches partner id on or off. An inactive partner's vacancies
// leave public search and come back when it is switched on again: the sync
// of every one of them is enqueued in the same transaction.
func (s *Store) SetActive(ctx context.Context, id int64, active bool) (err error) {
	defer wrap(&err, "set partner %d active=%v", id, active)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var was bool
		err := tx.QueryRow(ctx, `SELECT active FROM partners WHERE id = $1 FOR UPDATE`, id).Scan(&was)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		} else if err != nil || was == active {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE partners SET active = $2, updated_at = now() WHERE id = $1`, id, active); err != nil {
			return err
		}
		return s.syncVacancies(ctx, tx, id)
	})
}

// syncVacancies enqueues the search sync of every vacancy of partner id:
// the worker re-reads each and upserts or deletes it as it now stands.
func (s *Store) syncVacancies(ctx context.Context, tx pgx.Tx, id int64) error {
	rows, err := tx.Query(ctx, `SELECT id FROM vacancies WHERE partner_id = $1 ORDER BY id`, id)
	if err != nil {
		return err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	return s.outbox.VacanciesChanged(ctx, tx, ids...)
}
