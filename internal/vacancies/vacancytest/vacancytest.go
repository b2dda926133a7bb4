// Package vacancytest builds valid partners and vacancies for tests, so a
// test states only what matters to it. Only tests import it.
package vacancytest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// Stores empties the test database's tables and returns the stores on it,
// with an insert-only outbox (tests run the sync themselves or start the
// workers).
func Stores(t testing.TB) (*pgxpool.Pool, *partners.Store, *vacancies.Store) {
	t.Helper()
	testenv.Truncate(t)
	pool := testenv.Pool(t)
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	return pool, partners.NewStore(pool, ob), vacancies.NewStore(pool, ob)
}

// Partner creates (or updates) an active partner with slug and type.
func Partner(t testing.TB, store *partners.Store, slug string, typ partners.Type) partners.Partner {
	t.Helper()
	p := partners.Partner{Slug: slug, Name: "Test " + slug, Type: typ, Website: "https://" + slug + ".example", Active: true}
	id, err := store.Upsert(context.Background(), p)
	if err != nil {
		t.Fatalf("create partner %s: %v", slug, err)
	}
	p.ID = id
	return p
}

var refs atomic.Int64

// Today is the date vacancies are posted on unless a test says otherwise.
var Today = vacancies.Date(time.Now())

// Place is a location with real coordinates.
var (
	Cambridge    = vacancies.Location{Name: "Cambridge", Postcode: "CB2", Lat: 52.2053, Lon: 0.1218}
	Peterborough = vacancies.Location{Name: "Peterborough", Postcode: "PE1", Lat: 52.5695, Lon: -0.2405}
	Wisbech      = vacancies.Location{Name: "Wisbech", Postcode: "PE13", Lat: 52.6661, Lon: 0.1596}
	Leeds        = vacancies.Location{Name: "Leeds", Postcode: "LS1", Lat: 53.7997, Lon: -1.5492}
)

// New returns a valid live vacancy for partner, changed by mods.
func New(partner partners.Partner, mods ...func(*vacancies.Vacancy)) vacancies.Vacancy {
	n := refs.Add(1)
	v := vacancies.Vacancy{
		PartnerID:    partner.ID,
		Partner:      partner,
		ExternalRef:  fmt.Sprintf("TEST-%05d", n),
		Title:        "Healthcare support worker",
		Description:  "Join a friendly team caring for people in their own homes and on our wards.",
		StaffGroup:   "additional-clinical",
		Pay:          vacancies.Pay{Band: "3"},
		Contract:     "permanent",
		Patterns:     []string{"full-time"},
		HoursPerWeek: 37.5,
		Locations:    []vacancies.Location{Cambridge},
		PostedOn:     Today.AddDate(0, 0, -3),
		ClosingOn:    Today.AddDate(0, 0, 14),
		Status:       vacancies.Live,
		ApplyURL:     "https://" + partner.Slug + ".example/jobs/" + fmt.Sprint(n),
	}
	for _, mod := range mods {
		mod(&v)
	}
	return v
}

// Title sets the title.
func Title(title string) func(*vacancies.Vacancy) {
	return func(v *vacancies.Vacancy) { v.Title = title }
}

// Group sets the staff group.
func Group(g string) func(*vacancies.Vacancy) { return func(v *vacancies.Vacancy) { v.StaffGroup = g } }

// At sets the locations.
func At(locs ...vacancies.Location) func(*vacancies.Vacancy) {
	return func(v *vacancies.Vacancy) { v.Locations = locs }
}

// Status sets the status.
func Status(s string) func(*vacancies.Vacancy) { return func(v *vacancies.Vacancy) { v.Status = s } }

// Closing sets the closing date to today plus days (negative: in the past).
func Closing(days int) func(*vacancies.Vacancy) {
	return func(v *vacancies.Vacancy) {
		v.ClosingOn = Today.AddDate(0, 0, days)
		if v.PostedOn.After(v.ClosingOn) {
			v.PostedOn = v.ClosingOn.AddDate(0, 0, -7)
		}
	}
}

// Save stores vacancies and returns them with their ids.
func Save(t testing.TB, store *vacancies.Store, list ...vacancies.Vacancy) []vacancies.Vacancy {
	t.Helper()
	results, err := store.SaveMany(context.Background(), list)
	if err != nil {
		t.Fatalf("save vacancies: %v", err)
	}
	for i := range list {
		list[i].ID = results[i].ID
	}
	return list
}

var users atomic.Int64

// User creates a user who can sign in to the console and returns their id,
// for the created_by and updated_by of console writes.
func User(t testing.TB, pool *pgxpool.Pool) int64 {
	t.Helper()
	var id int64
	email := fmt.Sprintf("recruiter%d-%d@example.org", time.Now().UnixNano(), users.Add(1))
	err := pool.QueryRow(context.Background(), `INSERT INTO users (email, name, password_hash)
		VALUES ($1, 'Test recruiter', 'not-a-hash') RETURNING id`, email).Scan(&id)
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return id
}

// FromFeed records v as listed by a feed of its partner, as a feed run
// does, so the console treats it as read-only.
func FromFeed(t testing.TB, pool *pgxpool.Pool, v vacancies.Vacancy) {
	t.Helper()
	ctx := context.Background()
	var feedID int64
	err := pool.QueryRow(ctx, `INSERT INTO feeds (partner_id, url, format) VALUES ($1, $2, 'indeed')
		ON CONFLICT (partner_id, url) DO UPDATE SET format = excluded.format RETURNING id`,
		v.PartnerID, "https://"+v.Partner.Slug+".example/feed.xml").Scan(&feedID)
	if err == nil {
		_, err = pool.Exec(ctx, `INSERT INTO vacancy_sources (vacancy_id, feed_id, reference, seen_run)
			VALUES ($1, $2, $3, 0)`, v.ID, feedID, v.ExternalRef)
	}
	if err != nil {
		t.Fatalf("list vacancy %d in a feed: %v", v.ID, err)
	}
}
