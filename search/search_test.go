package search_test

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

type fixture struct {
	client    *search.Client
	syncer    *search.Syncer
	partners  *partners.Store
	vacancies *vacancies.Store
	trust     partners.Partner
	care      partners.Partner
}

// setUp gives the test empty tables and an index prefix of its own.
func setUp(t *testing.T) *fixture {
	t.Helper()
	_, ps, vs := vt.Stores(t)
	f := &fixture{client: search.New(testenv.ConfigForTest(t)), partners: ps, vacancies: vs}
	f.syncer = search.NewSyncer(f.client, f.vacancies)
	if err := f.client.EnsureVacancyIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.trust = vt.Partner(t, f.partners, "fen-valley-trust", partners.NHSTrust)
	f.care = vt.Partner(t, f.partners, "willow-care", partners.CareProvider)
	return f
}

// save stores vacancies and syncs them into search, as the outbox worker would.
func (f *fixture) save(t *testing.T, list ...vacancies.Vacancy) []vacancies.Vacancy {
	t.Helper()
	list = vt.Save(t, f.vacancies, list...)
	ids := make([]int64, len(list))
	for i, v := range list {
		ids[i] = v.ID
	}
	if err := f.syncer.Sync(context.Background(), ids); err != nil {
		t.Fatalf("sync: %v", err)
	}
	return list
}

func (f *fixture) search(t *testing.T, query string) search.Results {
	t.Helper()
	values, err := url.ParseQuery(query)
	if err != nil {
		t.Fatal(err)
	}
	q, err := search.ParseVacancyQuery(values, geo.Default())
	if err != nil {
		t.Fatalf("parse %q: %v", query, err)
	}
	res, err := f.client.Vacancies(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	return res
}

func titles(res search.Results) []string {
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Title)
	}
	return out
}

func TestSearch_FindsNurseForRNSynonym(t *testing.T) {
	f := setUp(t)
	f.save(t,
		vt.New(f.trust, vt.Title("Staff Nurse – Acute Medical Unit"), vt.Group("nursing-midwifery")),
		vt.New(f.trust, vt.Title("Porter"), vt.Group("estates-ancillary")),
	)
	for _, q := range []string{"q=RN", "q=registered+nurse"} {
		got := titles(f.search(t, q))
		if len(got) != 1 || got[0] != "Staff Nurse – Acute Medical Unit" {
			t.Errorf("%s found %v, want only the staff nurse", q, got)
		}
	}
}

func TestSearch_SynonymsFindCareAssistantsForHCA(t *testing.T) {
	f := setUp(t)
	f.save(t,
		vt.New(f.care, vt.Title("Care Assistant – Nights"), vt.Group("social-care")),
		vt.New(f.trust, vt.Title("Physiotherapist"), vt.Group("allied-health")),
	)
	if got := titles(f.search(t, "q=hca")); len(got) != 1 || got[0] != "Care Assistant – Nights" {
		t.Errorf("hca found %v", got)
	}
	if got := titles(f.search(t, "q=physio")); len(got) != 1 || got[0] != "Physiotherapist" {
		t.Errorf("physio found %v", got)
	}
}

func TestSearch_TypoNurceFindsNurses(t *testing.T) {
	f := setUp(t)
	f.save(t,
		vt.New(f.trust, vt.Title("Community Nurse"), vt.Group("nursing-midwifery")),
		vt.New(f.trust, vt.Title("Medical Secretary"), vt.Group("admin-clerical")),
	)
	if got := titles(f.search(t, "q=nurce")); len(got) != 1 || got[0] != "Community Nurse" {
		t.Errorf("nurce found %v, want the community nurse", got)
	}
}

func TestSearch_RadiusExcludesFarRoles(t *testing.T) {
	f := setUp(t)
	f.save(t,
		vt.New(f.trust, vt.Title("Ward clerk Wisbech"), vt.At(vt.Wisbech)),
		vt.New(f.trust, vt.Title("Ward clerk Cambridge"), vt.At(vt.Cambridge)),
		vt.New(f.trust, vt.Title("Ward clerk Leeds"), vt.At(vt.Leeds)),
	)
	res := f.search(t, "location=PE13+1AB&distance=10")
	if got := titles(res); len(got) != 1 || got[0] != "Ward clerk Wisbech" {
		t.Fatalf("within 10 miles of PE13 found %v", got)
	}
	if d := res.Hits[0].DistanceMiles; d == nil || *d > 10 {
		t.Errorf("distance = %v, want under 10 miles", d)
	}
	res = f.search(t, "location=Wisbech&distance=50&sort=distance")
	if got := titles(res); len(got) != 2 || got[0] != "Ward clerk Wisbech" || got[1] != "Ward clerk Cambridge" {
		t.Errorf("within 50 miles nearest first found %v", got)
	}
}

func TestSearch_FacetCountsMatchPostgres(t *testing.T) {
	f := setUp(t)
	groups := []string{"nursing-midwifery", "nursing-midwifery", "allied-health", "admin-clerical", "social-care"}
	var list []vacancies.Vacancy
	for i, g := range groups {
		p := f.trust
		if i%2 == 1 {
			p = f.care
		}
		list = append(list, vt.New(p, vt.Group(g)))
	}
	list = append(list, vt.New(f.trust, vt.Group("allied-health"), vt.Status(vacancies.Draft)))
	f.save(t, list...)

	counts, err := f.vacancies.LiveCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res := f.search(t, "")
	if res.Total != counts.Live {
		t.Errorf("search total %d, postgres live %d", res.Total, counts.Live)
	}
	facet := facetCounts(res, "staff_group")
	for group, n := range counts.ByStaffGroup {
		if facet[group] != n {
			t.Errorf("%s: facet %d, postgres %d", group, facet[group], n)
		}
	}
	// Choosing one staff group keeps the other groups' counts (disjunctive),
	// while other facets count only the chosen group.
	res = f.search(t, "staff_group=nursing-midwifery")
	if res.Total != 2 || facetCounts(res, "staff_group")["allied-health"] != 1 {
		t.Errorf("with a staff group chosen: total %d, facet %v", res.Total, facetCounts(res, "staff_group"))
	}
	if got := facetCounts(res, "partner"); got[f.trust.Slug]+got[f.care.Slug] != 2 {
		t.Errorf("partner facet under a staff group filter = %v, want counts adding to 2", got)
	}
}

func facetCounts(res search.Results, param string) map[string]int {
	out := map[string]int{}
	for _, f := range res.Facets {
		if f.Param == param {
			for _, v := range f.Values {
				out[v.Value] = v.Count
			}
		}
	}
	return out
}

func TestSearch_ClosedRolesDisappear(t *testing.T) {
	f := setUp(t)
	saved := f.save(t,
		vt.New(f.trust, vt.Title("Dietitian"), vt.Closing(5)),
		vt.New(f.trust, vt.Title("Radiographer"), vt.Closing(-1)),
	)
	if got := f.search(t, "").Total; got != 2 {
		t.Fatalf("before closing: %d results, want 2", got)
	}
	closed, err := f.vacancies.CloseExpired(context.Background(), vt.Today)
	if err != nil {
		t.Fatal(err)
	}
	if len(closed) != 1 || closed[0] != saved[1].ID {
		t.Fatalf("closed %v, want the radiographer %d", closed, saved[1].ID)
	}
	if err := f.syncer.Sync(context.Background(), closed); err != nil {
		t.Fatal(err)
	}
	if got := titles(f.search(t, "")); len(got) != 1 || got[0] != "Dietitian" {
		t.Errorf("after closing: %v, want only the dietitian", got)
	}
	if err := f.vacancies.SetStatus(context.Background(), saved[0].ID, vacancies.Closed); err != nil {
		t.Fatal(err)
	}
	if err := f.syncer.Sync(context.Background(), []int64{saved[0].ID}); err != nil {
		t.Fatal(err)
	}
	if got := f.search(t, "").Total; got != 0 {
		t.Errorf("after closing early: %d results, want 0", got)
	}
}

func TestSearch_HighlightsAreEscapedThenMarked(t *testing.T) {
	f := setUp(t)
	f.save(t, vt.New(f.trust, vt.Title(`Nurse <script>alert("x")</script> & Midwife`)))
	res := f.search(t, "q=nurse")
	if len(res.Hits) != 1 {
		t.Fatalf("want 1 hit, got %d", len(res.Hits))
	}
	got := string(res.Hits[0].TitleHTML)
	if strings.Contains(got, "<script>") || !strings.Contains(got, "&lt;script&gt;") {
		t.Errorf("title not escaped: %s", got)
	}
	if !strings.Contains(got, "<mark>Nurse</mark>") {
		t.Errorf("match not marked: %s", got)
	}
}

func TestRebuild_SwapKeepsServing(t *testing.T) {
	f := setUp(t)
	var list []vacancies.Vacancy
	for range 300 {
		list = append(list, vt.New(f.trust))
	}
	f.save(t, list...)
	// A role written straight to PostgreSQL, missed by the outbox, is
	// caught by the rebuild.
	vt.Save(t, f.vacancies, vt.New(f.care, vt.Title("Missed by the outbox")))

	var wg sync.WaitGroup
	var failures, searches atomic.Int64
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		q := search.VacancyQuery{Page: 1, Filters: map[string][]string{}}
		for {
			select {
			case <-stop:
				return
			default:
			}
			res, err := f.client.Vacancies(context.Background(), q)
			searches.Add(1)
			if err != nil || res.Total < 300 {
				failures.Add(1)
			}
		}
	}()
	n, err := f.syncer.Rebuild(context.Background())
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n != 301 {
		t.Errorf("rebuild indexed %d, want 301", n)
	}
	if failures.Load() > 0 {
		t.Errorf("%d of %d searches during the rebuild failed or came back short", failures.Load(), searches.Load())
	}
	if got := titles(f.search(t, "q=missed+by+the+outbox")); len(got) != 1 {
		t.Errorf("after rebuild, the missed role is not found: %v", got)
	}
}

func TestSearch_UnavailableWhenMeilisearchIsDown(t *testing.T) {
	cfg := testenv.Config(t)
	cfg.MeiliURL = "http://127.0.0.1:1" // nothing listens on port 1
	_, err := search.New(cfg).Vacancies(context.Background(), search.VacancyQuery{Page: 1})
	if err == nil || !strings.Contains(err.Error(), search.ErrUnavailable.Error()) {
		t.Errorf("want ErrUnavailable, got %v", err)
	}
}
