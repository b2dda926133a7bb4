// Package partners owns the region's employers (NHS trusts, GP practices,
// the council, care providers, hospices, charities, the ambulance service)
// and their table, with their logos. It must not know about search or HTTP:
// a change that alters what search shows (a name, a type, being switched
// off) enqueues the sync of the partner's vacancies through the outbox.
package partners

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/outbox"
)

// ErrNotFound is returned when no partner matches.
var ErrNotFound = errors.New("partner not found")

// ErrSlugTaken is returned by Create when another partner has the slug.
var ErrSlugTaken = errors.New("another partner already uses that web address name")

// ValidationError carries field errors, from Validate or a logo upload.
type ValidationError map[string]string

func (e ValidationError) Error() string {
	parts := make([]string, 0, len(e))
	for _, f := range slices.Sorted(maps.Keys(e)) {
		parts = append(parts, f+": "+e[f])
	}
	return "invalid partner: " + strings.Join(parts, "; ")
}

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
	LiveCount int // live vacancies; filled on reads

	LogoUpdatedAt time.Time // zero when the partner has no logo
}

// HasLogo reports whether the partner has uploaded a logo.
func (p Partner) HasLogo() bool { return !p.LogoUpdatedAt.IsZero() }

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
	if msg := validateWebsite(p.Website); msg != "" {
		errs["website"] = msg
	}
	if len(p.About) > maxAbout {
		errs["about"] = msgAboutTooLong
	}
	return errs
}

const maxAbout = 20000

var msgAboutTooLong = fmt.Sprintf("About the organisation must be %d characters or fewer", maxAbout)

func validateWebsite(website string) string {
	switch {
	case website == "":
		return ""
	case !strings.HasPrefix(website, "https://") && !strings.HasPrefix(website, "http://"),
		strings.ContainsAny(website, " \t\n"), len(website) > 500:
		return "Website must start with https://"
	}
	return ""
}

// Store reads and writes partners.
type Store struct {
	pool   *pgxpool.Pool
	outbox *outbox.Outbox
}

// NewStore returns a Store on pool whose changes to what search shows
// enqueue the sync of the partner's vacancies through ob.
func NewStore(pool *pgxpool.Pool, ob *outbox.Outbox) *Store { return &Store{pool: pool, outbox: ob} }

// Upsert creates the partner or updates the one with the same slug, and
// returns its id. A new name or type enqueues the sync of the partner's
// vacancies, as Update does.
func (s *Store) Upsert(ctx context.Context, p Partner) (id int64, err error) {
	defer wrap(&err, "upsert partner %q", p.Slug)
	if errs := p.Validate(); len(errs) > 0 {
		return 0, ValidationError(errs)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var shownChanged bool
		err := tx.QueryRow(ctx, `
			WITH before AS (SELECT name, type FROM partners WHERE slug = $1)
			INSERT INTO partners (slug, name, type, website, about)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (slug) DO UPDATE SET name = $2, type = $3, website = $4, about = $5, updated_at = now()
			RETURNING id, EXISTS (SELECT 1 FROM before b WHERE (b.name, b.type) IS DISTINCT FROM ($2::text, $3::text))`,
			p.Slug, strings.TrimSpace(p.Name), p.Type, p.Website, p.About).Scan(&id, &shownChanged)
		if err != nil || !shownChanged {
			return err
		}
		return s.syncVacancies(ctx, tx, id)
	})
	return id, err
}

const selectPartner = `
	SELECT p.id, p.slug, p.name, p.type, p.website, p.about, p.active,
	       (SELECT count(*) FROM vacancies v WHERE v.partner_id = p.id AND v.status = 'live'), p.logo_updated_at
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
	var logo *time.Time
	err := row.Scan(&p.ID, &p.Slug, &p.Name, &p.Type, &p.Website, &p.About, &p.Active, &p.LiveCount, &logo)
	if logo != nil {
		p.LogoUpdatedAt = *logo
	}
	return err
}

func wrap(err *error, format string, args ...any) {
	if *err != nil && !errors.Is(*err, ErrNotFound) && !errors.Is(*err, ErrSlugTaken) {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}
