package pages_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/pages"
)

func TestSave_ValidatesAndWritesRevisions(t *testing.T) {
	e := setUp(t)
	_, err := e.store.Save(e.ctx, e.editor, newPage(pages.Plain, "search", func(p *pages.Page) { p.Title = "" }), draft)
	if errs := fieldErrors(t, err); errs["slug"] == "" || errs["title"] == "" {
		t.Errorf("errors = %v, want slug and title", errs)
	}
	_, err = e.store.Save(e.ctx, e.editor, newPage(pages.Story, "ok"), pages.Action{Kind: "shout"})
	if errs := fieldErrors(t, err); errs["action"] == "" {
		t.Errorf("errors = %v, want action", errs)
	}
	if n := e.count(t, `SELECT count(*) FROM pages`); n != 0 {
		t.Fatalf("%d pages written by invalid saves", n)
	}

	p := e.save(t, newPage(pages.Story, "nadias-story", func(p *pages.Page) {
		p.Title, p.Tags = "  Nadia's story ", []string{"Nursing", "nursing", " "}
	}), draft)
	if p.Status != pages.Draft || !p.PublishedAt.IsZero() || p.EditedAt.IsZero() || p.UpdatedByName != "Edith Editor" {
		t.Errorf("draft = %+v", p)
	}
	if p.Title != "Nadia's story" || !slices.Equal(p.Tags, []string{"nursing"}) {
		t.Errorf("not normalised: title %q tags %q", p.Title, p.Tags)
	}
	if n := e.syncJobsFor(t, p.ID); n != 0 {
		t.Errorf("a draft enqueued %d syncs", n)
	}

	p.Body = "First line.\nA better second line.\n"
	p = e.save(t, p, publish)
	if p.Status != pages.Published || p.PublishedAt.IsZero() {
		t.Errorf("published = %+v", p)
	}
	firstPublished := p.PublishedAt
	p = e.save(t, p, publish)
	if !p.PublishedAt.Equal(firstPublished) {
		t.Errorf("published_at moved from %v to %v on a later save", firstPublished, p.PublishedAt)
	}
	if n := e.syncJobsFor(t, p.ID); n != 2 {
		t.Errorf("%d syncs enqueued, want one per save of a live page", n)
	}

	revs, err := e.store.Revisions(e.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, r := range revs {
		notes = append(notes, r.Note)
		if r.AuthorName != "Edith Editor" {
			t.Errorf("revision %d by %q", r.Number, r.AuthorName)
		}
	}
	if want := []string{"published", "published", "saved as draft"}; !slices.Equal(notes, want) {
		t.Errorf("revision notes %q, want %q (newest first)", notes, want)
	}
	if revs[0].Number != 3 || revs[2].Body != "First line.\nSecond line.\n" || !slices.Equal(revs[2].Tags, []string{"nursing"}) {
		t.Errorf("revisions = %+v", revs)
	}
	if _, err := e.store.Revisions(e.ctx, 9999); !errors.Is(err, pages.ErrNotFound) {
		t.Errorf("revisions of a missing page: %v", err)
	}
	if _, err := e.store.Save(e.ctx, e.editor, newPage(pages.Story, "x", func(p *pages.Page) { p.ID = 9999 }), draft); !errors.Is(err, pages.ErrNotFound) {
		t.Errorf("save of a missing page: %v", err)
	}
}

func TestSave_SlugIsUniquePerKind(t *testing.T) {
	e := setUp(t)
	e.save(t, newPage(pages.AreaGuide, "ely"), draft)
	if _, err := e.store.Save(e.ctx, e.editor, newPage(pages.AreaGuide, "ely"), publish); !errors.Is(err, pages.ErrSlugTaken) {
		t.Errorf("same kind and slug: got %v, want ErrSlugTaken", err)
	}
	e.save(t, newPage(pages.Story, "ely"), draft) // another kind lives at another address
}

func TestSave_ScheduleInThePastIsRefused(t *testing.T) {
	e := setUp(t)
	for name, at := range map[string]time.Time{"past": e.clock.peek().Add(-time.Hour), "missing": {}} {
		_, err := e.store.Save(e.ctx, e.editor, newPage(pages.Campaign, "return-to-practice"), pages.Action{Kind: pages.ActionSchedule, At: at})
		if errs := fieldErrors(t, err); errs["publish_at"] == "" {
			t.Errorf("%s: errors = %v, want publish_at", name, errs)
		}
	}
}

func TestPublishDue_PublishesScheduledPagesAndEnqueuesSync(t *testing.T) {
	e := setUp(t)
	at := e.clock.peek().Add(2 * time.Hour)
	p := e.save(t, newPage(pages.Campaign, "return-to-practice"), pages.Action{Kind: pages.ActionSchedule, At: at})
	if p.Status != pages.Scheduled || !p.PublishAt.Equal(at) || e.syncJobsFor(t, p.ID) != 0 {
		t.Fatalf("scheduled = %+v, %d syncs", p, e.syncJobsFor(t, p.ID))
	}
	revs, _ := e.store.Revisions(e.ctx, p.ID)
	if revs[0].Note != "scheduled for 15 June 2026 at 12:00" { // 11:00 UTC in summer time
		t.Errorf("note = %q", revs[0].Note)
	}
	if ids, err := e.store.PublishDue(e.ctx, at.Add(-time.Second)); err != nil || len(ids) != 0 {
		t.Fatalf("before its time: %v, %v", ids, err)
	}
	ids, err := e.store.PublishDue(e.ctx, at)
	if err != nil || !slices.Equal(ids, []int64{p.ID}) {
		t.Fatalf("at its time: %v, %v", ids, err)
	}
	live, err := e.store.Live(e.ctx, pages.Campaign, "return-to-practice")
	if err != nil || !live.PublishedAt.Equal(at) || !live.PublishAt.IsZero() {
		t.Errorf("live = %+v, %v", live, err)
	}
	if n := e.syncJobsFor(t, p.ID); n != 1 {
		t.Errorf("%d search_sync_pages jobs, want 1", n)
	}
}

func TestLive_HidesDraftsScheduledAndUnpublished(t *testing.T) {
	e := setUp(t)
	older := e.save(t, newPage(pages.Story, "published-first"), publish)
	newer := e.save(t, newPage(pages.Story, "published-second"), publish)
	guide := e.save(t, newPage(pages.AreaGuide, "ely"), publish)
	e.save(t, newPage(pages.Story, "a-draft"), draft)
	e.save(t, newPage(pages.Story, "scheduled"), pages.Action{Kind: pages.ActionSchedule, At: e.clock.peek().Add(time.Hour)})
	down := e.save(t, newPage(pages.Story, "taken-down"), publish)
	down = e.save(t, down, pages.Action{Kind: pages.ActionUnpublish})
	if down.Status != pages.Unpublished || e.syncJobsFor(t, down.ID) != 2 {
		t.Errorf("unpublished = %s with %d syncs, want a sync to publish and one to take down", down.Status, e.syncJobsFor(t, down.ID))
	}

	for _, slug := range []string{"a-draft", "scheduled", "taken-down"} {
		if _, err := e.store.Live(e.ctx, pages.Story, slug); !errors.Is(err, pages.ErrNotFound) {
			t.Errorf("%s: got %v, want ErrNotFound", slug, err)
		}
	}
	if _, err := e.store.Live(e.ctx, pages.AreaGuide, "published-first"); !errors.Is(err, pages.ErrNotFound) {
		t.Errorf("another kind's page: %v", err)
	}
	if p, err := e.store.Live(e.ctx, pages.Story, "published-first"); err != nil || p.ID != older.ID || !p.Live(time.Now()) {
		t.Errorf("live page: %+v, %v", p, err)
	}

	stories, err := e.store.ListLive(e.ctx, pages.Story, 0)
	if err != nil || len(stories) != 2 || stories[0].ID != newer.ID || stories[1].ID != older.ID {
		t.Errorf("live stories = %v, %v; want newest first", slugs(stories), err)
	}
	all, _ := e.store.ListLive(e.ctx, "", 2)
	if len(all) != 2 || all[0].ID != guide.ID {
		t.Errorf("live pages, limit 2 = %v", slugs(all))
	}
	var each []pages.Page
	if err := e.store.EachLive(e.ctx, func(batch []pages.Page) error { each = append(each, batch...); return nil }); err != nil {
		t.Fatal(err)
	}
	if got := slugs(each); !slices.Equal(got, []string{"published-first", "published-second", "ely"}) {
		t.Errorf("EachLive = %v", got)
	}
	got, err := e.store.GetMany(e.ctx, []int64{down.ID, older.ID, 9999})
	if err != nil || len(got) != 2 {
		t.Errorf("GetMany = %v, %v; want both pages in any status", slugs(got), err)
	}
}

func TestList_FiltersForTheEditor(t *testing.T) {
	e := setUp(t)
	e.save(t, newPage(pages.Story, "nadias-story", func(p *pages.Page) { p.Title = "Nadia's 100% story" }), publish)
	e.save(t, newPage(pages.Story, "sams-story"), draft)
	e.save(t, newPage(pages.AreaGuide, "ely"), draft)

	list, total, err := e.store.List(e.ctx, pages.Filter{})
	if err != nil || total != 3 || slugs(list)[0] != "ely" || list[0].UpdatedByName != "Edith Editor" {
		t.Errorf("all = %v (%d), %v; want most recently updated first", slugs(list), total, err)
	}
	list, total, _ = e.store.List(e.ctx, pages.Filter{Kind: pages.Story, Status: pages.Draft})
	if total != 1 || slugs(list)[0] != "sams-story" {
		t.Errorf("draft stories = %v", slugs(list))
	}
	list, _, _ = e.store.List(e.ctx, pages.Filter{Query: "100%"})
	if !slices.Equal(slugs(list), []string{"nadias-story"}) {
		t.Errorf("query 100%% = %v", slugs(list))
	}
	list, total, _ = e.store.List(e.ctx, pages.Filter{PerPage: 2, Page: 2})
	if total != 3 || len(list) != 1 {
		t.Errorf("page 2 = %v of %d", slugs(list), total)
	}
	if _, _, err := e.store.List(e.ctx, pages.Filter{Status: "lost"}); fieldErrors(t, err)["status"] == "" {
		t.Errorf("unknown status: %v", err)
	}
}

func TestRestore_BringsBackAnOldRevision(t *testing.T) {
	e := setUp(t)
	p := e.save(t, newPage(pages.Pathway, "nursing", func(p *pages.Page) { p.StaffGroups = []string{"nursing-midwifery"} }), publish)
	p.Title, p.Body, p.StaffGroups = "Nursing careers, rewritten", "Different words.\n", nil
	e.save(t, p, publish)
	other := e.user(t, "Owen Other")

	if err := e.store.Restore(e.ctx, other, p.ID, 1); err != nil {
		t.Fatal(err)
	}
	got, _ := e.store.Get(e.ctx, p.ID)
	if got.Title != "About nursing" || got.Body != "First line.\nSecond line.\n" ||
		!slices.Equal(got.StaffGroups, []string{"nursing-midwifery"}) || got.Status != pages.Published || got.UpdatedByName != "Owen Other" {
		t.Errorf("restored = %+v", got)
	}
	latest, err := e.store.Revision(e.ctx, p.ID, 3)
	if err != nil || latest.Note != "restored revision 1" || latest.AuthorName != "Owen Other" || latest.Title != "About nursing" {
		t.Errorf("revision 3 = %+v, %v", latest, err)
	}
	if n := e.syncJobsFor(t, p.ID); n != 3 {
		t.Errorf("%d syncs, want 3 (two saves and the restore of a live page)", n)
	}
	if err := e.store.Restore(e.ctx, other, p.ID, 9); !errors.Is(err, pages.ErrNotFound) {
		t.Errorf("missing revision: %v", err)
	}
	if _, err := e.store.Revision(e.ctx, 9999, 1); !errors.Is(err, pages.ErrNotFound) {
		t.Errorf("revision of a missing page: %v", err)
	}
}

func TestRelated_FindsTheAreaGuideAndPathwayForAVacancy(t *testing.T) {
	e := setUp(t)
	ely := e.save(t, newPage(pages.AreaGuide, "ely", func(p *pages.Page) { p.Places = []string{"Ely", "Soham"} }), publish)
	e.save(t, newPage(pages.AreaGuide, "cambridge", func(p *pages.Page) { p.Places = []string{"Cambridge", "Soham", "Ely"} }), draft)
	e.save(t, newPage(pages.AreaGuide, "fens", func(p *pages.Page) { p.Places = []string{"Wisbech", "March", "Soham"} }), publish)
	nursing := e.save(t, newPage(pages.Pathway, "nursing", func(p *pages.Page) { p.StaffGroups = []string{"nursing-midwifery"} }), publish)
	e.save(t, newPage(pages.Pathway, "care-draft", func(p *pages.Page) { p.StaffGroups = []string{"social-care"} }), draft)
	e.save(t, newPage(pages.Pathway, "apprenticeships", func(p *pages.Page) {
		p.StaffGroups = []string{"additional-clinical", "nursing-midwifery", "social-care"}
	}), publish)
	e.save(t, newPage(pages.Pathway, "return-to-practice", func(p *pages.Page) {
		p.StaffGroups = []string{"allied-health", "nursing-midwifery"}
	}), publish)

	guide, pathway, err := e.store.Related(e.ctx, []string{"ELY ", "soham"}, "nursing-midwifery")
	if err != nil || guide == nil || guide.ID != ely.ID || pathway == nil || pathway.ID != nursing.ID {
		t.Errorf("Related = %v, %v, %v; want the Ely guide (two places match) and the nursing pathway (the most specific)", guide, pathway, err)
	}
	guide, pathway, err = e.store.Related(e.ctx, []string{"Cambridge"}, "medical-dental")
	if err != nil || guide != nil || pathway != nil {
		t.Errorf("only drafts match: %v, %v, %v", guide, pathway, err)
	}
	guide, pathway, err = e.store.Related(e.ctx, nil, "")
	if err != nil || guide != nil || pathway != nil {
		t.Errorf("nothing asked: %v, %v, %v", guide, pathway, err)
	}
}

func slugs(list []pages.Page) []string {
	out := []string{}
	for _, p := range list {
		out = append(out, p.Slug)
	}
	return out
}
