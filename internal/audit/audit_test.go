package audit_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/testenv"
)

var ctx = context.Background()

func newStore(t *testing.T) (*audit.Store, *pgxpool.Pool) {
	t.Helper()
	pool := testenv.Pool(t)
	if _, err := pool.Exec(ctx, `TRUNCATE audit_log, users, partners RESTART IDENTITY CASCADE`); err != nil {
		t.Fatalf("truncate: %v", err)
	}
	return audit.NewStore(pool), pool
}

func newUser(t *testing.T, pool *pgxpool.Pool, email string) int64 {
	t.Helper()
	var id int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash) VALUES ($1, 'Test', 'x') RETURNING id`,
		email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func newPartner(t *testing.T, pool *pgxpool.Pool, slug string) int64 {
	t.Helper()
	var id int64
	if err := pool.QueryRow(ctx, `INSERT INTO partners (slug, name, type) VALUES ($1, $2, 'hospice') RETURNING id`,
		slug, "Test "+slug).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func record(t *testing.T, db audit.DB, e audit.Entry) {
	t.Helper()
	if err := audit.Record(ctx, db, e); err != nil {
		t.Fatal(err)
	}
}

func TestRecord_InARolledBackTransactionLeavesNothing(t *testing.T) {
	s, pool := newStore(t)
	errChange := errors.New("the change failed")
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		record(t, tx, audit.Entry{ActorEmail: "cli", Action: "partner.update", TargetType: "partner", TargetID: "1"})
		return errChange
	})
	if !errors.Is(err, errChange) {
		t.Fatal(err)
	}
	if _, total, err := s.List(ctx, audit.Filter{}); err != nil || total != 0 {
		t.Errorf("%d entries after a rollback (%v), want 0", total, err)
	}
	must(t, pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return audit.Record(ctx, tx, audit.Entry{ActorEmail: "cli", Action: "partner.update"})
	}))
	if _, total, _ := s.List(ctx, audit.Filter{}); total != 1 {
		t.Errorf("%d entries after a commit, want 1", total)
	}
}

func TestRecord_KeepsEveryFieldAndNullsForNone(t *testing.T) {
	s, pool := newStore(t)
	actor := newUser(t, pool, "admin@example.org")
	partnerID := newPartner(t, pool, "hope-hospice")
	at := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	var none *struct{ Name string }
	record(t, pool, audit.Entry{At: at, ActorID: actor, ActorEmail: "admin@example.org", Action: "partner.create",
		TargetType: "partner", TargetID: fmt.Sprint(partnerID), PartnerID: partnerID, Before: none,
		After: map[string]any{"name": "Hope Hospice", "active": true}, IP: "203.0.113.9"})
	rows, _, err := s.List(ctx, audit.Filter{})
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %+v, %v", rows, err)
	}
	r := rows[0]
	if !r.At.Equal(at) || r.ActorID != actor || r.ActorEmail != "admin@example.org" || r.Action != "partner.create" ||
		r.TargetID != fmt.Sprint(partnerID) || r.PartnerID != partnerID || r.IP != "203.0.113.9" {
		t.Errorf("entry %+v", r.Entry)
	}
	if r.Before != nil || r.BeforeJSON != "" {
		t.Errorf("before %v %q, want none", r.Before, r.BeforeJSON)
	}
	wantAfter := "{\n  \"name\": \"Hope Hospice\",\n  \"active\": true\n}"
	if r.AfterJSON != wantAfter || !reflect.DeepEqual(r.After, map[string]any{"name": "Hope Hospice", "active": true}) {
		t.Errorf("after %v\n%s", r.After, r.AfterJSON)
	}
	if err := audit.Record(ctx, pool, audit.Entry{Action: "Not An Action"}); err == nil {
		t.Errorf("recorded a malformed action")
	}
}

func TestList_ShowsTheChangedFieldsSorted(t *testing.T) {
	s, pool := newStore(t)
	type partner struct {
		Name    string   `json:"name"`
		Website string   `json:"website"`
		Active  bool     `json:"active"`
		Tags    []string `json:"tags,omitempty"`
		About   string   `json:"about"`
	}
	record(t, pool, audit.Entry{ActorEmail: "a@example.org", Action: "partner.update",
		Before: partner{Name: "Fen Trust", Website: "https://fen.example", Active: true, About: "Same"},
		After:  partner{Name: "Fen Valley Trust", Website: "https://fen.example", Active: false, Tags: []string{"nhs"}, About: "Same"}})
	rows, _, err := s.List(ctx, audit.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	want := []audit.Change{
		{Field: "active", Before: "true", After: "false"},
		{Field: "name", Before: "Fen Trust", After: "Fen Valley Trust"},
		{Field: "tags", Before: "", After: `["nhs"]`},
	}
	if !reflect.DeepEqual(rows[0].Changes, want) {
		t.Errorf("changes %+v, want %+v", rows[0].Changes, want)
	}
}

func TestList_FiltersAndPagesNewestFirst(t *testing.T) {
	s, pool := newStore(t)
	trust, hospice := newPartner(t, pool, "fen-trust"), newPartner(t, pool, "hope-hospice")
	day := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	entries := []audit.Entry{
		{ActorEmail: "ann@fen.example", Action: "partner.update", TargetType: "partner", TargetID: "1", PartnerID: trust},
		{ActorEmail: "ann@fen.example", Action: "member.add", TargetType: "user", TargetID: "7", PartnerID: trust},
		{ActorEmail: "bob@hope.example", Action: "partner.update", TargetType: "partner", TargetID: "2", PartnerID: hospice},
		{ActorEmail: "cli", Action: "user.create-admin", TargetType: "user", TargetID: "9"},
		{ActorEmail: "bob@hope.example", Action: "partners.import", TargetType: "partner", TargetID: "2", PartnerID: hospice},
	}
	for i, e := range entries {
		e.At = day.Add(time.Duration(i) * 24 * time.Hour)
		record(t, pool, e)
	}
	cases := []struct {
		name   string
		filter audit.Filter
		want   []string // target ids, newest first
		total  int
	}{
		{"everything", audit.Filter{}, []string{"2", "9", "2", "7", "1"}, 5},
		{"actor part, any case", audit.Filter{Actor: "FEN.EX"}, []string{"7", "1"}, 2},
		{"exact action", audit.Filter{Action: "partner.update"}, []string{"2", "1"}, 2},
		{"action prefix stops at the dot", audit.Filter{Action: "partner."}, []string{"2", "1"}, 2},
		{"target", audit.Filter{TargetType: "user", TargetID: "9"}, []string{"9"}, 1},
		{"partner", audit.Filter{PartnerID: hospice}, []string{"2", "2"}, 2},
		{"from and before to", audit.Filter{From: day.Add(24 * time.Hour), To: day.Add(3 * 24 * time.Hour)}, []string{"2", "7"}, 2},
		{"second page", audit.Filter{Page: 2, PerPage: 2}, []string{"2", "7"}, 5},
		{"wildcards are literal", audit.Filter{Actor: "_"}, nil, 0},
	}
	for _, c := range cases {
		rows, total, err := s.List(ctx, c.filter)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.TargetID)
		}
		if !reflect.DeepEqual(got, c.want) || total != c.total {
			t.Errorf("%s: %v (total %d), want %v (total %d)", c.name, got, total, c.want, c.total)
		}
	}
	actions, err := s.Actions(ctx)
	want := []string{"member.add", "partner.update", "partners.import", "user.create-admin"}
	if err != nil || !reflect.DeepEqual(actions, want) {
		t.Errorf("actions %v, %v; want %v", actions, err, want)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
