package pages_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/testenv"
)

// env is a store on an empty database whose clock moves on a minute each
// time it is read, so "most recently updated" is never a tie.
type env struct {
	ctx    context.Context
	pool   *pgxpool.Pool
	store  *pages.Store
	editor int64
	clock  *clock
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Minute)
	return c.t
}

// peek is the clock's time without moving it.
func (c *clock) peek() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func setUp(t *testing.T) env {
	t.Helper()
	testenv.Truncate(t)
	pool := testenv.Pool(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `TRUNCATE pages, page_revisions, media, campaign_events RESTART IDENTITY CASCADE`); err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	e := env{ctx: ctx, pool: pool, store: pages.NewStore(pool, ob),
		clock: &clock{t: time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)}}
	e.store.SetClock(e.clock.now)
	e.editor = e.user(t, "Edith Editor")
	return e
}

func (e env) user(t *testing.T, name string) int64 {
	t.Helper()
	var id int64
	err := e.pool.QueryRow(e.ctx, `INSERT INTO users (email, name, password_hash, role)
		VALUES ($1, $2, 'not-a-hash', 'editor') RETURNING id`,
		fmt.Sprintf("%s-%d@example.org", strings.ToLower(strings.Fields(name)[0]), time.Now().UnixNano()), name).Scan(&id)
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	return id
}

// newPage is a valid page of kind at slug, changed by mods.
func newPage(kind pages.Kind, slug string, mods ...func(*pages.Page)) pages.Page {
	p := pages.Page{Kind: kind, Slug: slug, Title: "About " + slug, Summary: "A short summary.",
		Body: "First line.\nSecond line.\n"}
	for _, mod := range mods {
		mod(&p)
	}
	return p
}

var (
	publish = pages.Action{Kind: pages.ActionPublish}
	draft   = pages.Action{Kind: pages.ActionDraft}
)

// save saves p with action as the env's editor and returns it as stored.
func (e env) save(t *testing.T, p pages.Page, action pages.Action) pages.Page {
	t.Helper()
	id, err := e.store.Save(e.ctx, e.editor, p, action)
	if err != nil {
		t.Fatalf("save %s: %v", p.Slug, err)
	}
	got, err := e.store.Get(e.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// syncJobsFor counts the search sync jobs enqueued for page id.
func (e env) syncJobsFor(t *testing.T, id int64) int {
	t.Helper()
	var n int
	err := e.pool.QueryRow(e.ctx, `SELECT count(*) FROM river_job
		WHERE kind = 'search_sync_pages' AND args->'ids' @> to_jsonb(ARRAY[$1::bigint])`, id).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (e env) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(e.ctx, sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func fieldErrors(t *testing.T, err error) pages.ValidationError {
	t.Helper()
	var invalid pages.ValidationError
	if !errors.As(err, &invalid) {
		t.Fatalf("got %v, want a ValidationError", err)
	}
	return invalid
}

func TestKind_PathsFollowTheKind(t *testing.T) {
	for kind, want := range map[pages.Kind]string{
		pages.AreaGuide: "/living-here/ely", pages.Pathway: "/careers/ely", pages.Campaign: "/campaigns/ely",
		pages.Story: "/stories/ely", pages.Plain: "/ely",
	} {
		if got := newPage(kind, "ely").Path(); got != want {
			t.Errorf("%s: path %s, want %s", kind, got, want)
		}
		if kind.Label() == string(kind) {
			t.Errorf("%s has no label", kind)
		}
	}
}

func TestValidate_ReportsEachFieldForTheEditor(t *testing.T) {
	for name, tc := range map[string]struct {
		mod   func(*pages.Page)
		field string
	}{
		"unknown kind":           {func(p *pages.Page) { p.Kind = "poem" }, "kind"},
		"slug with capitals":     {func(p *pages.Page) { p.Slug = "Ely-Guide" }, "slug"},
		"slug with double dash":  {func(p *pages.Page) { p.Slug = "ely--guide" }, "slug"},
		"slug too long":          {func(p *pages.Page) { p.Slug = strings.Repeat("a", 81) }, "slug"},
		"plain page on /jobs":    {func(p *pages.Page) { p.Kind, p.Slug = pages.Plain, "jobs" }, "slug"},
		"plain page on /careers": {func(p *pages.Page) { p.Kind, p.Slug = pages.Plain, "careers" }, "slug"},
		"title too short":        {func(p *pages.Page) { p.Title = " A " }, "title"},
		"title too long":         {func(p *pages.Page) { p.Title = strings.Repeat("é", 151) }, "title"},
		"summary too long":       {func(p *pages.Page) { p.Summary = strings.Repeat("x", 301) }, "summary"},
		"hero image without alt": {func(p *pages.Page) { p.HeroImage = "/media/1/ward.jpg" }, "hero_alt"},
		"hero image elsewhere":   {func(p *pages.Page) { p.HeroImage, p.HeroAlt = "https://evil.example/x.png", "x" }, "hero_image"},
		"unknown staff group":    {func(p *pages.Page) { p.StaffGroups = []string{"nursing-midwifery", "wizards"} }, "staff_groups"},
		"tag with capitals":      {func(p *pages.Page) { p.Tags = []string{"Nursing"} }, "tags"},
		"tag with spaces":        {func(p *pages.Page) { p.Tags = []string{"night shifts"} }, "tags"},
		"blank place":            {func(p *pages.Page) { p.Places = []string{" "} }, "places"},
	} {
		errs := newPage(pages.AreaGuide, "ely", tc.mod).Validate()
		if errs[tc.field] == "" {
			t.Errorf("%s: no message for %s (got %v)", name, tc.field, errs)
		}
	}
	ok := newPage(pages.Pathway, "careers", func(p *pages.Page) { // reserved only for plain pages
		p.StaffGroups, p.Tags = []string{"nursing-midwifery"}, []string{"nursing", "return-to-practice"}
		p.HeroImage, p.HeroAlt = "/static/img/ward.jpg", "A nurse talking to a patient"
	})
	if errs := ok.Validate(); len(errs) > 0 {
		t.Errorf("valid page: %v", errs)
	}
}

func TestDiff_MarksAddedAndRemovedLines(t *testing.T) {
	got := pages.Diff("one\ntwo\nthree", "one\r\n2\nthree\nfour\n")
	want := []pages.DiffLine{{"same", "one"}, {"remove", "two"}, {"add", "2"}, {"same", "three"}, {"add", "four"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("diff = %v\nwant %v", got, want)
	}
	if got := pages.Diff("same\n", "same"); len(got) != 1 || got[0].Op != "same" {
		t.Errorf("a missing final line break is not a change: %v", got)
	}
	if got := pages.Diff("", "new"); len(got) != 1 || got[0] != (pages.DiffLine{Op: "add", Text: "new"}) {
		t.Errorf("from nothing: %v", got)
	}
}
