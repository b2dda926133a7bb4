package search_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

func TestSearchAll_NursingAssociateFindsThePathwayAndTheRoles(t *testing.T) {
	f := setUpPages(t)
	f.syncPages(t,
		f.savePage(t, newPage(pages.Pathway, "nursing", "Nursing careers",
			"Nursing associates work alongside registered nurses, and many go on to register themselves.",
			func(p *pages.Page) { p.StaffGroups = []string{"nursing-midwifery"} }), pages.ActionPublish),
		f.savePage(t, newPage(pages.AreaGuide, "ely", "Living in Ely", "A cathedral city on the Great Ouse."), pages.ActionPublish),
	)
	f.save(t,
		vt.New(f.trust, vt.Title("Nursing Associate"), vt.Group("nursing-midwifery")),
		vt.New(f.care, vt.Title("Nursing Associate – Nights"), vt.Group("nursing-midwifery")),
		vt.New(f.trust, vt.Title("Porter"), vt.Group("estates-ancillary")),
	)
	res := f.searchAll(t, "nursing associate")
	if got := pageTitles(res); !slices.Equal(got, []string{"Nursing careers"}) {
		t.Errorf("pages found %v, want the nursing pathway", got)
	}
	if h := res.Pages.Hits; len(h) == 1 && (h[0].URL != "/careers/nursing" || h[0].KindLabel != "Career pathway" || h[0].ID == 0) {
		t.Errorf("page hit %+v", h[0])
	}
	if res.Vacancies.Total != 2 || len(res.Vacancies.Hits) != 2 {
		t.Fatalf("vacancies: total %d, hits %d, want the two nursing associates", res.Vacancies.Total, len(res.Vacancies.Hits))
	}
	for _, h := range res.Vacancies.Hits {
		if !strings.HasPrefix(h.Title, "Nursing Associate") || !strings.Contains(string(h.TitleHTML), "<mark>Nursing</mark>") {
			t.Errorf("vacancy hit %q marked %s", h.Title, h.TitleHTML)
		}
	}
}

func TestSearchAll_LimitsHitsButCountsAll(t *testing.T) {
	f := setUpPages(t)
	var list []vacancies.Vacancy
	for range 5 {
		list = append(list, vt.New(f.trust, vt.Title("Physiotherapist")))
	}
	f.save(t, list...)
	for _, slug := range []string{"physio-one", "physio-two", "physio-three"} {
		f.syncPages(t, f.savePage(t, newPage(pages.Story, slug, "A physiotherapist's week", "Clinics and home visits."), pages.ActionPublish))
	}
	res, err := f.client.SearchAll(context.Background(), "physiotherapist", 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	if res.Pages.Total != 3 || len(res.Pages.Hits) != 2 || res.Vacancies.Total != 5 || len(res.Vacancies.Hits) != 3 {
		t.Errorf("pages %d of %d, vacancies %d of %d; want 2 of 3 and 3 of 5",
			len(res.Pages.Hits), res.Pages.Total, len(res.Vacancies.Hits), res.Vacancies.Total)
	}
}

func TestSearchAll_HighlightsAreEscapedThenMarked(t *testing.T) {
	f := setUpPages(t)
	f.syncPages(t, f.savePage(t, newPage(pages.Story, "bold", `Care <b>work</b> & "you"`, "A story.",
		func(p *pages.Page) { p.Summary = `Why <script>alert(1)</script> care work pays` }), pages.ActionPublish))
	res := f.searchAll(t, "care")
	if len(res.Pages.Hits) != 1 {
		t.Fatalf("want 1 page, got %v", pageTitles(res))
	}
	h := res.Pages.Hits[0]
	title, summary := string(h.TitleHTML), string(h.SummaryHTML)
	if strings.Contains(title, "<b>") || !strings.Contains(title, "&lt;b&gt;") || !strings.Contains(title, "&amp;") {
		t.Errorf("title not escaped: %s", title)
	}
	if !strings.Contains(title, "<mark>Care</mark>") {
		t.Errorf("title match not marked: %s", title)
	}
	if strings.Contains(summary, "<script>") || !strings.Contains(summary, "&lt;script&gt;") || !strings.Contains(summary, "<mark>care</mark>") {
		t.Errorf("summary not escaped then marked: %s", summary)
	}
	if h.Title != `Care <b>work</b> & "you"` {
		t.Errorf("plain title = %q, want it as written", h.Title)
	}
}

// countingProxy passes requests to the test's Meilisearch and records
// their paths.
func countingProxy(t *testing.T) (*search.Client, func() []string) {
	t.Helper()
	cfg := testenv.ConfigForTest(t)
	target, err := url.Parse(cfg.MeiliURL)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var paths []string
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.Method+" "+r.URL.Path)
		mu.Unlock()
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	cfg.MeiliURL = srv.URL
	return search.New(cfg), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(paths)
	}
}

func TestSearchAll_EmptyQueryAsksNothingAndAWordAsksOnce(t *testing.T) {
	f := setUpPages(t)
	f.syncPages(t, f.savePage(t, newPage(pages.AreaGuide, "ely", "Living in Ely", "A cathedral city."), pages.ActionPublish))
	client, requests := countingProxy(t)
	for _, q := range []string{"", "   "} {
		res, err := client.SearchAll(context.Background(), q, 10, 10)
		if err != nil || res.Pages.Total != 0 || res.Vacancies.Total != 0 || len(res.Pages.Hits)+len(res.Vacancies.Hits) != 0 {
			t.Errorf("q=%q: %+v, %v; want nothing", q, res, err)
		}
	}
	if got := requests(); len(got) != 0 {
		t.Fatalf("an empty query made requests: %v", got)
	}
	res, err := client.SearchAll(context.Background(), "ely", 10, 10)
	if err != nil || res.Pages.Total != 1 {
		t.Fatalf("ely: %+v, %v", res, err)
	}
	if got := requests(); !slices.Equal(got, []string{"POST /multi-search"}) {
		t.Errorf("one search made %v, want one multi-search", got)
	}
}

func TestSearchAll_UnavailableWhenMeilisearchIsDown(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.MeiliURL = "http://127.0.0.1:1" // nothing listens on port 1
	_, err := search.New(cfg).SearchAll(context.Background(), "nurse", 5, 5)
	if !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("want ErrUnavailable, got %v", err)
	}
}

func TestSearchAll_UnavailableUntilTheIndexesExist(t *testing.T) {
	cfg := testenv.ConfigForTest(t)
	cfg.IndexPrefix += "never_created_"
	_, err := search.New(cfg).SearchAll(context.Background(), "nurse", 5, 5)
	if !errors.Is(err, search.ErrUnavailable) {
		t.Errorf("want ErrUnavailable, got %v", err)
	}
}
