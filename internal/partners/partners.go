// Package partners owns the region's employers (NHS trusts, GP practices,
// the council, care providers, hospices, charities, the ambulance service)
// and their table. It must not know about search or HTTP.
package partners

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound is returned when no partner matches.
var ErrNotFound = errors.New("partner not found")

// Type is the kind of organisation a partner is.
type Type string

const (
	NHSTrust     Type = "nhs-trust"
	PrimaryCare  Type = "primary-care"
	Council      Type = "council"
	CareProvider Type = "care-provider"
	Hospice      Type = "hospice"
	Charity      Type = "charity"
	Ambulance    Type = "ambulance"
)

// Types lists every partner type in the order the site shows them.
var Types = []Type{NHSTrust, PrimaryCare, Council, CareProvider, Hospice, Charity, Ambulance}

var typeLabels = map[Type]string{
	NHSTrust:     "NHS trust",
	PrimaryCare:  "GP practice and primary care",
	Council:      "Council adult social care",
	CareProvider: "Care provider",
	Hospice:      "Hospice",
	Charity:      "Charity and voluntary sector",
	Ambulance:    "Ambulance service",
}

// Label is the type's name for people.
func (t Type) Label() string { return typeLabels[t] }

// Valid reports whether t is a known type.
func (t Type) Valid() bool { _, ok := typeLabels[t]; return ok }

// Partner is one employer in the consortium.
type Partner struct {
	ID        int64
	Slug      string
	Name      string
	Type      Type
	Website   string
	About     string
	Active    bool
	LiveCount int // live vacancies; filled by listing queries only
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// Slugify turns a name into a URL slug: "St Neots Surgery" -> "st-neots-surgery".
func Slugify(name string) string {
	s := strings.ReplaceAll(strings.ToLower(name), "&", " and ")
	s = strings.ReplaceAll(s, "'", "")
	return strings.Trim(nonSlug.ReplaceAllString(s, "-"), "-")
}

// Validate returns field errors for a partner about to be saved.
func (p Partner) Validate() map[string]string {
	errs := map[string]string{}
	if n := len(strings.TrimSpace(p.Name)); n < 2 || n > 200 {
		errs["name"] = "Enter the organisation's name (2 to 200 characters)"
	}
	if !p.Type.Valid() {
		errs["type"] = "Choose the type of organisation"
	}
	if p.Slug == "" || p.Slug != Slugify(p.Slug) {
		errs["slug"] = "Slug must be lower-case letters, numbers and hyphens"
	}
	if p.Website != "" && !strings.HasPrefix(p.Website, "https://") && !strings.HasPrefix(p.Website, "http://") {
		errs["website"] = "Website must start with https://"
	}
	return errs
}

// Store reads and writes partners.
type Store struct{ pool *pgxpool.Pool }

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Upsert creates the partner or updates the one with the same slug, and
// returns its id.
func (s *Store) Upsert(ctx context.Context, p Partner) (id int64, err error) {
	defer wrap(&err, "upsert partner %q", p.Slug)
	if errs := p.Validate(); len(errs) > 0 {
		return 0, fmt.Errorf("invalid partner: %v", errs)
	}
	err = s.pool.QueryRow(ctx, `
		INSERT INTO partners (slug, name, type, website, about)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (slug) DO UPDATE SET name = $2, type = $3, website = $4, about = $5, updated_at = now()
		RETURNING id`, p.Slug, strings.TrimSpace(p.Name), p.Type, p.Website, p.About).Scan(&id)
	return id, err
}

const selectPartner = `
	SELECT p.id, p.slug, p.name, p.type, p.website, p.about, p.active,
	       (SELECT count(*) FROM vacancies v WHERE v.partner_id = p.id AND v.status = 'live')
	FROM partners p`

// BySlug returns the partner with that slug, or ErrNotFound.
func (s *Store) BySlug(ctx context.Context, slug string) (p Partner, err error) {
	defer wrap(&err, "partner %q", slug)
	row := s.pool.QueryRow(ctx, selectPartner+` WHERE p.slug = $1`, slug)
	if err := scan(row, &p); errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	} else if err != nil {
		return p, err
	}
	return p, nil
}

// ListActive returns every active partner by name, with live counts.
func (s *Store) ListActive(ctx context.Context) (list []Partner, err error) {
	defer wrap(&err, "list partners")
	rows, err := s.pool.Query(ctx, selectPartner+` WHERE p.active ORDER BY lower(p.name)`)
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

// Names maps every active partner's slug to its name.
func (s *Store) Names(ctx context.Context) (names map[string]string, err error) {
	defer wrap(&err, "partner names")
	rows, err := s.pool.Query(ctx, `SELECT slug, name FROM partners WHERE active`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names = map[string]string{}
	for rows.Next() {
		var slug, name string
		if err := rows.Scan(&slug, &name); err != nil {
			return nil, err
		}
		names[slug] = name
	}
	return names, rows.Err()
}

func scan(row pgx.Row, p *Partner) error {
	return row.Scan(&p.ID, &p.Slug, &p.Name, &p.Type, &p.Website, &p.About, &p.Active, &p.LiveCount)
}

func wrap(err *error, format string, args ...any) {
	if *err != nil && !errors.Is(*err, ErrNotFound) {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}
