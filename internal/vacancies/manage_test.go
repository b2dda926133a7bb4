package vacancies_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

type console struct {
	pool       *pgxpool.Pool
	vs         *vacancies.Store
	trust      partners.Partner
	care       partners.Partner
	recruiter  int64
	ctx        context.Context
	publishNow vacancies.Action
}

func setUpConsole(t *testing.T) console {
	t.Helper()
	pool, ps, vs := vt.Stores(t)
	return console{
		pool: pool, vs: vs, ctx: context.Background(),
		trust:      vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust),
		care:       vt.Partner(t, ps, "willow-care", partners.CareProvider),
		recruiter:  vt.User(t, pool),
		publishNow: vacancies.Action{Kind: vacancies.ActionPublish},
	}
}

// create writes a vacancy for partner in the console and returns it as stored.
func (c console) create(t *testing.T, partner partners.Partner, action vacancies.Action, mods ...func(*vacancies.Vacancy)) vacancies.Vacancy {
	t.Helper()
	id, err := c.vs.Create(c.ctx, partner.ID, c.recruiter, vt.New(partner, mods...), action)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	v, err := c.vs.Get(c.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (c console) syncJobsFor(t *testing.T, id int64) int {
	t.Helper()
	var n int
	err := c.pool.QueryRow(c.ctx, `SELECT count(*) FROM river_job
		WHERE kind = 'search_sync_vacancies' AND args->'ids' @> to_jsonb(ARRAY[$1::bigint])`, id).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestConsole_AnotherPartnersVacancyIsNotFound(t *testing.T) {
	c := setUpConsole(t)
	theirs := c.create(t, c.trust, c.publishNow, vt.Title("Staff nurse"))
	other := c.care.ID
	for name, err := range map[string]error{
		"update":    c.vs.Update(c.ctx, other, c.recruiter, theirs.ID, vt.New(c.care), c.publishNow),
		"close":     c.vs.Close(c.ctx, other, c.recruiter, theirs.ID),
		"extend":    c.vs.Extend(c.ctx, other, c.recruiter, theirs.ID, vt.Today.AddDate(0, 1, 0)),
		"duplicate": second(c.vs.Duplicate(c.ctx, other, c.recruiter, theirs.ID)),
		"get":       second(c.vs.GetForPartner(c.ctx, other, theirs.ID)),
		"missing":   c.vs.Close(c.ctx, c.trust.ID, c.recruiter, 999999),
	} {
		if !errors.Is(err, vacancies.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", name, err)
		}
	}
	after, err := c.vs.Get(c.ctx, theirs.ID)
	if err != nil || after.Title != "Staff nurse" || after.Status != vacancies.Live || after.PartnerID != c.trust.ID {
		t.Errorf("the other partner's vacancy changed: %+v %v", after, err)
	}
	if owner, err := c.vs.Owner(c.ctx, theirs.ID); err != nil || owner != c.trust.ID {
		t.Errorf("owner = %d %v, want %d", owner, err, c.trust.ID)
	}
	if got, total, _ := c.vs.List(c.ctx, vacancies.ListFilter{PartnerID: other}); len(got) != 0 || total != 0 {
		t.Errorf("the other partner's list shows %d vacancies", total)
	}
}

func second[T any](_ T, err error) error { return err }

func TestConsole_FeedRolesAreReadOnlyButCanBeDuplicated(t *testing.T) {
	c := setUpConsole(t)
	fed := vt.Save(t, c.vs, vt.New(c.trust, vt.Title("Radiographer")))[0]
	vt.FromFeed(t, c.pool, fed)
	for name, err := range map[string]error{
		"update": c.vs.Update(c.ctx, c.trust.ID, c.recruiter, fed.ID, vt.New(c.trust), c.publishNow),
		"close":  c.vs.Close(c.ctx, c.trust.ID, c.recruiter, fed.ID),
		"extend": c.vs.Extend(c.ctx, c.trust.ID, c.recruiter, fed.ID, vt.Today.AddDate(0, 2, 0)),
	} {
		if !errors.Is(err, vacancies.ErrFromFeed) {
			t.Errorf("%s: got %v, want ErrFromFeed", name, err)
		}
	}
	copyID, err := c.vs.Duplicate(c.ctx, c.trust.ID, c.recruiter, fed.ID)
	if err != nil {
		t.Fatal(err)
	}
	copied, err := c.vs.Get(c.ctx, copyID)
	if err != nil {
		t.Fatal(err)
	}
	if copied.FromFeed || copied.Status != vacancies.Draft || copied.Title != "Radiographer" ||
		copied.ExternalRef == fed.ExternalRef || copied.CreatedBy != c.recruiter {
		t.Errorf("copy of a feed role: %+v, want an editable draft of my own", copied)
	}
	if original, _ := c.vs.Get(c.ctx, fed.ID); !original.FromFeed {
		t.Error("Get does not say the original comes from a feed")
	}
	if err := c.vs.Update(c.ctx, c.trust.ID, c.recruiter, copyID, vt.New(c.trust, vt.Title("Radiographer (CT)")), c.publishNow); err != nil {
		t.Errorf("editing the copy: %v", err)
	}
}

func TestCreate_GeneratesAReferenceAndRecordsWhoWroteIt(t *testing.T) {
	c := setUpConsole(t)
	v := c.create(t, c.trust, vacancies.Action{Kind: vacancies.ActionDraft}, func(v *vacancies.Vacancy) { v.ExternalRef = "" })
	if v.ExternalRef != fmt.Sprintf("P%d", v.ID) || v.Status != vacancies.Draft || v.CreatedBy != c.recruiter || v.UpdatedBy != c.recruiter {
		t.Errorf("created: ref %q status %s by %d/%d", v.ExternalRef, v.Status, v.CreatedBy, v.UpdatedBy)
	}
	if c.syncJobsFor(t, v.ID) != 0 {
		t.Error("a draft enqueued a search sync")
	}
	editor := vt.User(t, c.pool)
	if err := c.vs.Update(c.ctx, c.trust.ID, editor, v.ID, vt.New(c.trust, func(n *vacancies.Vacancy) { n.ExternalRef = "" }), c.publishNow); err != nil {
		t.Fatal(err)
	}
	got, _ := c.vs.Get(c.ctx, v.ID)
	if got.ExternalRef != v.ExternalRef || got.CreatedBy != c.recruiter || got.UpdatedBy != editor || got.Status != vacancies.Live {
		t.Errorf("after update: ref %q by %d/%d status %s", got.ExternalRef, got.CreatedBy, got.UpdatedBy, got.Status)
	}
	if c.syncJobsFor(t, v.ID) != 1 {
		t.Error("publishing enqueued no search sync")
	}
}

func TestCreate_ReferenceInUseIsAFieldError(t *testing.T) {
	c := setUpConsole(t)
	c.create(t, c.trust, c.publishNow, func(v *vacancies.Vacancy) { v.ExternalRef = "NUR-1" })
	_, err := c.vs.Create(c.ctx, c.trust.ID, c.recruiter, vt.New(c.trust, func(v *vacancies.Vacancy) { v.ExternalRef = "NUR-1" }), c.publishNow)
	var verr vacancies.ValidationError
	if !errors.As(err, &verr) || verr["external_ref"] == "" {
		t.Errorf("got %v, want a field error on external_ref", err)
	}
	if _, err := c.vs.Create(c.ctx, c.care.ID, c.recruiter, vt.New(c.care, func(v *vacancies.Vacancy) { v.ExternalRef = "NUR-1" }), c.publishNow); err != nil {
		t.Errorf("another partner cannot use the same reference: %v", err)
	}
}

func TestCreate_ValidatesByAction(t *testing.T) {
	c := setUpConsole(t)
	now := time.Now()
	for _, tc := range []struct {
		name   string
		action vacancies.Action
		mod    func(*vacancies.Vacancy)
		field  string // "" when it must be accepted
	}{
		{"schedule in the past", vacancies.Action{Kind: vacancies.ActionSchedule, At: now.Add(-time.Minute)}, nil, "publish_at"},
		{"schedule without a time", vacancies.Action{Kind: vacancies.ActionSchedule}, nil, "publish_at"},
		{"schedule after the closing date", vacancies.Action{Kind: vacancies.ActionSchedule, At: now.AddDate(0, 0, 30)}, vt.Closing(10), "publish_at"},
		{"publish with a past closing date", c.publishNow, vt.Closing(-1), "closing_on"},
		{"schedule with a past closing date", vacancies.Action{Kind: vacancies.ActionSchedule, At: now.Add(time.Hour)}, vt.Closing(-1), "closing_on"},
		{"draft with a past closing date", vacancies.Action{Kind: vacancies.ActionDraft}, vt.Closing(-1), ""},
		{"draft missing a title", vacancies.Action{Kind: vacancies.ActionDraft}, vt.Title(""), "title"},
		{"unknown action", vacancies.Action{Kind: "launch"}, nil, "action"},
		{"schedule tomorrow", vacancies.Action{Kind: vacancies.ActionSchedule, At: now.AddDate(0, 0, 1)}, nil, ""},
	} {
		v := vt.New(c.trust)
		if tc.mod != nil {
			tc.mod(&v)
		}
		_, err := c.vs.Create(c.ctx, c.trust.ID, c.recruiter, v, tc.action)
		var verr vacancies.ValidationError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.field != "" && (!errors.As(err, &verr) || verr[tc.field] == ""):
			t.Errorf("%s: got %v, want a field error on %s", tc.name, err, tc.field)
		}
	}
}

func TestPublishDue_MakesScheduledRolesLiveAndEnqueuesTheirSync(t *testing.T) {
	c := setUpConsole(t)
	at := time.Now().Add(2 * time.Hour)
	v := c.create(t, c.trust, vacancies.Action{Kind: vacancies.ActionSchedule, At: at})
	if v.Status != vacancies.Scheduled || !v.PublishAt.Equal(at.Truncate(time.Microsecond)) || v.Public() {
		t.Fatalf("scheduled: status %s at %v public %v", v.Status, v.PublishAt, v.Public())
	}
	if ids, err := c.vs.PublishDue(c.ctx, time.Now()); err != nil || len(ids) != 0 {
		t.Fatalf("published early: %v %v", ids, err)
	}
	ids, err := c.vs.PublishDue(c.ctx, at.Add(time.Minute))
	if err != nil || len(ids) != 1 || ids[0] != v.ID {
		t.Fatalf("published %v (%v), want [%d]", ids, err, v.ID)
	}
	got, _ := c.vs.Get(c.ctx, v.ID)
	if got.Status != vacancies.Live || !got.PublishAt.IsZero() || !got.PostedOn.Equal(vacancies.Date(at)) {
		t.Errorf("after publishing: status %s publish_at %v posted %v", got.Status, got.PublishAt, got.PostedOn)
	}
	if c.syncJobsFor(t, v.ID) != 1 {
		t.Error("no search sync enqueued for the published role")
	}
}

func TestUpdate_PublishKeepsThePostedDateOfALiveRole(t *testing.T) {
	c := setUpConsole(t)
	v := c.create(t, c.trust, vacancies.Action{Kind: vacancies.ActionDraft})
	if _, err := c.pool.Exec(c.ctx, `UPDATE vacancies SET posted_on = current_date - 5 WHERE id = $1`, v.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.vs.Update(c.ctx, c.trust.ID, c.recruiter, v.ID, vt.New(c.trust), c.publishNow); err != nil {
		t.Fatal(err)
	}
	got, _ := c.vs.Get(c.ctx, v.ID)
	if got.Status != vacancies.Live || !got.PostedOn.Equal(vt.Today) {
		t.Fatalf("a draft published: %s posted %v, want live posted today", got.Status, got.PostedOn)
	}
	if _, err := c.pool.Exec(c.ctx, `UPDATE vacancies SET posted_on = current_date - 5 WHERE id = $1`, v.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.vs.Update(c.ctx, c.trust.ID, c.recruiter, v.ID, vt.New(c.trust, vt.At(vt.Wisbech, vt.Leeds)), c.publishNow); err != nil {
		t.Fatal(err)
	}
	got, _ = c.vs.Get(c.ctx, v.ID)
	if !got.PostedOn.Equal(vt.Today.AddDate(0, 0, -5)) || len(got.Locations) != 2 || got.Locations[1].Name != "Leeds" {
		t.Errorf("a live role edited: posted %v at %v, want posted 5 days ago at Wisbech and Leeds", got.PostedOn, got.Locations)
	}
}

func TestClose_TakesAnyStatusToClosed(t *testing.T) {
	c := setUpConsole(t)
	for _, action := range []vacancies.Action{
		c.publishNow, {Kind: vacancies.ActionDraft}, {Kind: vacancies.ActionSchedule, At: time.Now().Add(time.Hour)},
	} {
		v := c.create(t, c.trust, action)
		if err := c.vs.Close(c.ctx, c.trust.ID, c.recruiter, v.ID); err != nil {
			t.Fatalf("close %s: %v", v.Status, err)
		}
		got, _ := c.vs.Get(c.ctx, v.ID)
		if got.Status != vacancies.Closed || !got.PublishAt.IsZero() {
			t.Errorf("close %s: now %s", v.Status, got.Status)
		}
		if err := c.vs.Close(c.ctx, c.trust.ID, c.recruiter, v.ID); err != nil {
			t.Errorf("closing again: %v", err)
		}
	}
}

func TestExtend_MovesTheClosingDateOnAndReopensClosedRoles(t *testing.T) {
	c := setUpConsole(t)
	v := c.create(t, c.trust, c.publishNow, vt.Closing(5))
	var verr vacancies.ValidationError
	if err := c.vs.Extend(c.ctx, c.trust.ID, c.recruiter, v.ID, vt.Today.AddDate(0, 0, 3)); !errors.As(err, &verr) || verr["closing_on"] == "" {
		t.Errorf("an earlier date: got %v, want a field error", err)
	}
	if err := c.vs.Close(c.ctx, c.trust.ID, c.recruiter, v.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.vs.Extend(c.ctx, c.trust.ID, c.recruiter, v.ID, vt.Today.AddDate(0, 0, 20)); err != nil {
		t.Fatal(err)
	}
	got, _ := c.vs.Get(c.ctx, v.ID)
	if got.Status != vacancies.Live || !got.ClosingOn.Equal(vt.Today.AddDate(0, 0, 20)) || !got.PostedOn.Equal(v.PostedOn) {
		t.Errorf("extended: %s closing %v posted %v", got.Status, got.ClosingOn, got.PostedOn)
	}
	if c.syncJobsFor(t, v.ID) != 3 { // published, closed, reopened
		t.Errorf("%d sync jobs, want 3", c.syncJobsFor(t, v.ID))
	}
	// A role whose closing date has passed can only move to today or later.
	old := c.create(t, c.trust, vacancies.Action{Kind: vacancies.ActionDraft}, vt.Closing(-10))
	if err := c.vs.Extend(c.ctx, c.trust.ID, c.recruiter, old.ID, vt.Today.AddDate(0, 0, -2)); !errors.As(err, &verr) || verr["closing_on"] == "" {
		t.Errorf("a past date: got %v, want a field error", err)
	}
}

func TestDuplicate_IsAFreshDraftOpenAsLongAsTheOriginal(t *testing.T) {
	c := setUpConsole(t)
	orig := c.create(t, c.trust, c.publishNow, vt.Title("Podiatrist"), vt.Closing(21), vt.At(vt.Wisbech, vt.Cambridge))
	id, err := c.vs.Duplicate(c.ctx, c.trust.ID, c.recruiter, orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	dup, _ := c.vs.Get(c.ctx, id)
	if dup.Title != "Podiatrist" || dup.Status != vacancies.Draft || dup.ExternalRef == orig.ExternalRef ||
		!dup.PostedOn.Equal(vt.Today) || !dup.ClosingOn.Equal(vt.Today.AddDate(0, 0, 21)) || len(dup.Locations) != 2 {
		t.Errorf("duplicate: %+v", dup)
	}
}

func TestList_FiltersBySourceStatusAndWordsNewestFirst(t *testing.T) {
	c := setUpConsole(t)
	draft := c.create(t, c.trust, vacancies.Action{Kind: vacancies.ActionDraft}, vt.Title("Ward clerk"))
	live := c.create(t, c.trust, c.publishNow, vt.Title("Staff nurse 100%"))
	fed := vt.Save(t, c.vs, vt.New(c.trust, vt.Title("Porter")))[0]
	vt.FromFeed(t, c.pool, fed)
	c.create(t, c.care, c.publishNow, vt.Title("Care assistant"))

	ids := func(f vacancies.ListFilter) []int64 {
		t.Helper()
		list, total, err := c.vs.List(c.ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, v := range list {
			out = append(out, v.ID)
		}
		if total < len(out) {
			t.Errorf("total %d below the page's %d", total, len(out))
		}
		return out
	}
	check := func(name string, f vacancies.ListFilter, want ...int64) {
		t.Helper()
		if got := ids(f); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: got %v, want %v", name, got, want)
		}
	}
	p := c.trust.ID
	check("all, newest updated first", vacancies.ListFilter{PartnerID: p}, fed.ID, live.ID, draft.ID)
	check("feed", vacancies.ListFilter{PartnerID: p, Source: vacancies.SourceFeed}, fed.ID)
	check("manual live", vacancies.ListFilter{PartnerID: p, Source: vacancies.SourceManual, Status: vacancies.Live}, live.ID)
	check("words", vacancies.ListFilter{PartnerID: p, Query: "clerk"}, draft.ID)
	check("a percent sign is literal", vacancies.ListFilter{PartnerID: p, Query: "100%"}, live.ID)
	check("by reference", vacancies.ListFilter{PartnerID: p, Query: live.ExternalRef}, live.ID)
	check("second page", vacancies.ListFilter{PartnerID: p, Page: 2, PerPage: 2}, draft.ID)
	if _, total, _ := c.vs.List(c.ctx, vacancies.ListFilter{PartnerID: p, Page: 2, PerPage: 2}); total != 3 {
		t.Errorf("total %d, want 3", total)
	}
	var verr vacancies.ValidationError
	if _, _, err := c.vs.List(c.ctx, vacancies.ListFilter{Status: "archived"}); !errors.As(err, &verr) {
		t.Errorf("unknown status: %v", err)
	}

	counts, err := c.vs.StatusCounts(c.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"draft": 1, "scheduled": 0, "live": 2, "closed": 0, "feed": 1, "manual": 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("counts %v, want %v", counts, want)
	}
}

func TestSaveTx_FeedsCannotSchedule(t *testing.T) {
	c := setUpConsole(t)
	v := vt.New(c.trust, vt.Status(vacancies.Scheduled), func(v *vacancies.Vacancy) { v.PublishAt = time.Now().Add(time.Hour) })
	_, err := c.vs.Save(c.ctx, v)
	var verr vacancies.ValidationError
	if !errors.As(err, &verr) || verr["status"] == "" {
		t.Errorf("got %v, want a field error on status", err)
	}
}
