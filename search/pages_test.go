package search_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/search"
)

type pageFixture struct {
	*fixture
	pages      *pages.Store
	pageSyncer *search.PageSyncer
}

// setUpPages is setUp with a pages store and an empty pages index too.
func setUpPages(t *testing.T) *pageFixture {
	t.Helper()
	f := &pageFixture{fixture: setUp(t)}
	ob, err := outbox.NewInsertOnly(testenv.Pool(t))
	if err != nil {
		t.Fatal(err)
	}
	f.pages = pages.NewStore(testenv.Pool(t), ob)
	f.pageSyncer = search.NewPageSyncer(f.client, f.pages)
	if err := f.client.EnsurePagesIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	return f
}

// newPage returns a valid page, changed by mods.
func newPage(kind pages.Kind, slug, title, body string, mods ...func(*pages.Page)) pages.Page {
	p := pages.Page{Kind: kind, Slug: slug, Title: title, Summary: "About " + strings.ToLower(title) + ".", Body: body}
	for _, mod := range mods {
		mod(&p)
	}
	return p
}

// savePage stores p with action (pages.ActionPublish, ...) and returns its id.
func (f *pageFixture) savePage(t *testing.T, p pages.Page, action string) int64 {
	t.Helper()
	a := pages.Action{Kind: action}
	if action == pages.ActionSchedule {
		a.At = time.Now().Add(time.Hour)
	}
	id, err := f.pages.Save(context.Background(), 0, p, a)
	if err != nil {
		t.Fatalf("save page %s: %v", p.Slug, err)
	}
	return id
}

// syncPages runs the page sync, as the outbox worker would.
func (f *pageFixture) syncPages(t *testing.T, ids ...int64) {
	t.Helper()
	if err := f.pageSyncer.SyncPages(context.Background(), ids); err != nil {
		t.Fatalf("sync pages: %v", err)
	}
}

func (f *pageFixture) searchAll(t *testing.T, q string) search.AllResults {
	t.Helper()
	res, err := f.client.SearchAll(context.Background(), q, 10, 10)
	if err != nil {
		t.Fatalf("search all %q: %v", q, err)
	}
	return res
}

func pageTitles(res search.AllResults) []string {
	var out []string
	for _, h := range res.Pages.Hits {
		out = append(out, h.Title)
	}
	return out
}

const pathwayBody = "Nursing is more than one job.\n\n" +
	"```pathway\n" +
	"- title: Healthcare support worker\n  band: \"3\"\n  text: Caring for patients on the wards.\n" +
	"- title: Trainee midwife\n  band: \"4\"\n  text: Two years of study, paid, alongside work.\n" +
	"```\n\n" +
	"## Roles near you\n\n" +
	"```vacancies\nheading: Roles open now\nstaff_group: nursing-midwifery\nlimit: 3\n```\n"

func TestNewPageDoc_IndexesTheProseAndThePathwayNotTheBlockSettings(t *testing.T) {
	p := newPage(pages.Pathway, "nursing", "Nursing careers", pathwayBody, func(p *pages.Page) {
		p.ID, p.Summary, p.StaffGroups = 7, "", []string{"nursing-midwifery"}
		p.PublishedAt = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	})
	doc := search.NewPageDoc(p)
	for _, want := range []string{"Nursing is more than one job.", "Roles near you", "Trainee midwife", "Two years of study"} {
		if !strings.Contains(doc.Text, want) {
			t.Errorf("text lacks %q: %s", want, doc.Text)
		}
	}
	for _, noise := range []string{"staff_group", "limit", "heading:", "band:", "```"} {
		if strings.Contains(doc.Text, noise) {
			t.Errorf("text holds block settings %q: %s", noise, doc.Text)
		}
	}
	if doc.URL != "/careers/nursing" || doc.KindLabel != "Career pathway" || doc.Kind != "career-pathway" {
		t.Errorf("url %q kind %q label %q", doc.URL, doc.Kind, doc.KindLabel)
	}
	if doc.Summary == "" || !strings.HasPrefix(doc.Summary, "Nursing is more") {
		t.Errorf("summary without one written = %q, want the start of the text", doc.Summary)
	}
	if !slices.Equal(doc.StaffGroups, []string{"nursing-midwifery"}) || len(doc.StaffGroupLabels) != 1 || doc.StaffGroupLabels[0] == "nursing-midwifery" {
		t.Errorf("staff groups %v labels %v", doc.StaffGroups, doc.StaffGroupLabels)
	}
	if doc.Published != p.PublishedAt.Unix() {
		t.Errorf("published %d, want %d", doc.Published, p.PublishedAt.Unix())
	}
}

func TestNewPageDoc_CutsALongBodyAtAWord(t *testing.T) {
	body := strings.Repeat("Wisbech é ", 5000) // 55,000 bytes
	doc := search.NewPageDoc(newPage(pages.AreaGuide, "wisbech", "Living in Wisbech", body))
	if len(doc.Text) > search.MaxPageText || len(doc.Text) < search.MaxPageText/2 {
		t.Errorf("text is %d bytes, want at most %d", len(doc.Text), search.MaxPageText)
	}
	if !utf8.ValidString(doc.Text) || strings.HasSuffix(doc.Text, " ") {
		t.Errorf("text cut badly: ...%q", doc.Text[len(doc.Text)-20:])
	}
}

func TestSyncPages_DraftsAndUnpublishedPagesAreNotFound(t *testing.T) {
	f := setUpPages(t)
	live := f.savePage(t, newPage(pages.AreaGuide, "wisbech", "Living in Wisbech", "Georgian streets by the river Nene."), pages.ActionPublish)
	draft := f.savePage(t, newPage(pages.AreaGuide, "march", "Living in March", "A market town by the river Nene."), pages.ActionDraft)
	later := f.savePage(t, newPage(pages.AreaGuide, "ely", "Living in Ely", "A cathedral city, and the river Great Ouse."), pages.ActionSchedule)
	f.syncPages(t, live, draft, later)
	if got := pageTitles(f.searchAll(t, "living")); !slices.Equal(got, []string{"Living in Wisbech"}) {
		t.Fatalf("living found %v, want only the published page", got)
	}
	// The editor takes the page down: the sync deletes its document.
	p, err := f.pages.Get(context.Background(), live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.pages.Save(context.Background(), 0, p, pages.Action{Kind: pages.ActionUnpublish}); err != nil {
		t.Fatal(err)
	}
	f.syncPages(t, live)
	if res := f.searchAll(t, "river"); res.Pages.Total != 0 {
		t.Errorf("after unpublishing, river found %v", pageTitles(res))
	}
}

func TestSyncPages_SynonymsApplyToPages(t *testing.T) {
	f := setUpPages(t)
	f.syncPages(t,
		f.savePage(t, newPage(pages.Pathway, "care", "Becoming a healthcare assistant", "Start without a degree."), pages.ActionPublish),
		f.savePage(t, newPage(pages.AreaGuide, "ely", "Living in Ely", "A cathedral city."), pages.ActionPublish),
	)
	if got := pageTitles(f.searchAll(t, "HCA")); !slices.Equal(got, []string{"Becoming a healthcare assistant"}) {
		t.Errorf("HCA found %v, want the healthcare assistant page", got)
	}
}

func TestApplySynonyms_AnAdminsNewGroupReachesPages(t *testing.T) {
	f := setUpPages(t)
	f.syncPages(t, f.savePage(t, newPage(pages.Story, "porters", "A night as a hospital porter", "Miles of corridor every shift."), pages.ActionPublish))
	if got := f.searchAll(t, "orderly").Pages.Total; got != 0 {
		t.Fatalf("orderly found %d pages before the group exists", got)
	}
	f.client.SetSynonymSource(func(context.Context) ([][]string, error) {
		return append(search.DefaultSynonyms(), []string{"porter", "orderly"}), nil
	})
	if err := f.syncer.ApplySynonyms(context.Background()); err != nil { // what the outbox worker runs
		t.Fatal(err)
	}
	if got := pageTitles(f.searchAll(t, "orderly")); !slices.Equal(got, []string{"A night as a hospital porter"}) {
		t.Errorf("orderly found %v, want the porters' story", got)
	}
}

func TestRebuildPages_SwapsInAFreshIndexWhileSearchesGoOn(t *testing.T) {
	f := setUpPages(t)
	ctx := context.Background()
	var ids []int64
	for i := range 40 {
		ids = append(ids, f.savePage(t, newPage(pages.Story, fmt.Sprintf("story-%d", i), "A story of the Fens",
			"People who came to work here and stayed."), pages.ActionPublish))
	}
	f.syncPages(t, ids...)
	// One page the outbox missed, one it never heard was deleted.
	f.savePage(t, newPage(pages.AreaGuide, "chatteris", "Living in Chatteris", "Missed by the outbox."), pages.ActionPublish)
	gone := f.savePage(t, newPage(pages.AreaGuide, "whittlesey", "Living in Whittlesey", "Deleted behind our back."), pages.ActionPublish)
	f.syncPages(t, gone)
	if _, err := testenv.Pool(t).Exec(ctx, `DELETE FROM pages WHERE id = $1`, gone); err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	var failures, searches atomic.Int64
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			res, err := f.client.SearchAll(ctx, "story fens", 5, 0)
			searches.Add(1)
			if err != nil || res.Pages.Total != 40 {
				failures.Add(1)
			}
		}
	})
	n, err := f.pageSyncer.RebuildPages(ctx)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n != 41 {
		t.Errorf("rebuild indexed %d pages, want 41", n)
	}
	if failures.Load() > 0 {
		t.Errorf("%d of %d searches during the rebuild failed or came back short", failures.Load(), searches.Load())
	}
	if got := pageTitles(f.searchAll(t, "chatteris")); len(got) != 1 {
		t.Errorf("after rebuild, the missed page is not found: %v", got)
	}
	if got := f.searchAll(t, "whittlesey").Pages.Total; got != 0 {
		t.Errorf("after rebuild, the deleted page is still found")
	}
	for _, uid := range indexNames(t) {
		if strings.HasPrefix(uid, f.client.PagesIndex()+"_rebuild_") {
			t.Errorf("rebuild left index %s behind", uid)
		}
	}
}

// indexNames lists the test's Meilisearch indexes.
func indexNames(t *testing.T) []string {
	t.Helper()
	cfg := testenv.ConfigForTest(t)
	req, _ := http.NewRequest(http.MethodGet, cfg.MeiliURL+"/indexes?limit=1000", nil)
	req.Header.Set("Authorization", "Bearer "+cfg.MeiliMasterKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Results []struct {
			UID string `json:"uid"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, idx := range list.Results {
		out = append(out, idx.UID)
	}
	return out
}
