package site_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/content"
	"github.com/regionalcareers/portal/internal/mail/mailtest"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
	"github.com/regionalcareers/portal/site"
)

type fixture struct {
	server     *httptest.Server
	app        *echo.Echo
	deps       site.Deps
	vacancies  *vacancies.Store
	syncer     *search.Syncer
	pageSyncer *search.PageSyncer
	mail       *mailtest.Server
	trust      partners.Partner
	care       partners.Partner
}

// setUp serves the site over empty tables and an index of the test's own.
// With meiliURL set, search points there instead (to test an outage).
func setUp(t *testing.T, meiliURL string) *fixture {
	t.Helper()
	mails := mailtest.Start(t)
	cfg := mails.Configure(testenv.ConfigForTest(t))
	pool, ps, vs := vt.Stores(t)
	client := search.New(cfg)
	if err := client.EnsureVacancyIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := client.EnsurePagesIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	good := client
	f := &fixture{vacancies: vs, syncer: search.NewSyncer(client, vs), mail: mails}
	if meiliURL != "" {
		cfg.MeiliURL = meiliURL
		client = search.New(cfg)
	}
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	f.deps = site.NewDeps(cfg, pool, ob, client, slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.deps.Vacancies = vs
	app, err := site.New(f.deps)
	if err != nil {
		t.Fatal(err)
	}
	f.app = app
	f.server = httptest.NewServer(app)
	f.pageSyncer = search.NewPageSyncer(good, f.deps.Pages)
	files, err := content.Files()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.deps.Pages.Import(context.Background(), files); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.server.Close)
	f.trust = vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	f.care = vt.Partner(t, ps, "willow-care", partners.CareProvider)
	return f
}

func (f *fixture) save(t *testing.T, list ...vacancies.Vacancy) []vacancies.Vacancy {
	t.Helper()
	list = vt.Save(t, f.vacancies, list...)
	var ids []int64
	for _, v := range list {
		ids = append(ids, v.ID)
	}
	if err := f.syncer.Sync(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	return list
}

type response struct {
	status int
	header http.Header
	body   string
}

func (f *fixture) get(t *testing.T, path string) response {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(f.server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(body)}
}

func mustContain(t *testing.T, r response, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(r.body, want) {
			t.Errorf("page does not contain %q", want)
		}
	}
}

func TestJobsPage_FindsByKeywordAndPlace(t *testing.T) {
	f := setUp(t, "")
	f.save(t,
		vt.New(f.trust, vt.Title("Community Staff Nurse"), vt.At(vt.Wisbech), vt.Group("nursing-midwifery")),
		vt.New(f.trust, vt.Title("Staff Nurse Theatres"), vt.At(vt.Cambridge), vt.Group("nursing-midwifery")),
		vt.New(f.care, vt.Title("Care Assistant"), vt.At(vt.Wisbech), vt.Group("social-care")),
	)
	r := f.get(t, "/jobs?q=nurse&location=Wisbech&distance=10")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r, "1 job for “nurse” within 10 miles of Wisbech", "Community Staff <mark>Nurse</mark>", `value="nurse"`, `value="Wisbech"`)
	if strings.Contains(r.body, "Theatres") || strings.Contains(r.body, "Care Assistant") {
		t.Error("results include a role that is too far away or does not match")
	}
}

func TestJobsPage_FacetLinksKeepTheWholeState(t *testing.T) {
	f := setUp(t, "")
	f.save(t,
		vt.New(f.trust, vt.Title("Physiotherapist"), vt.Group("allied-health")),
		vt.New(f.care, vt.Title("Care worker"), vt.Group("social-care")),
	)
	r := f.get(t, "/jobs?staff_group=allied-health&sort=closing")
	mustContain(t, r, "1 job<", "Physiotherapist", `name="staff_group" type="checkbox" value="allied-health" checked`,
		// The other group keeps its count so it can be added.
		`value="social-care"`, "Social care <span class=\"app-count\">(1)</span>",
		// The chosen filter can be removed with one link that keeps the sort.
		`href="/jobs?sort=closing">Remove`)
}

func TestJobsPage_UnknownPlaceIsSaidNotIgnored(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust))
	r := f.get(t, "/jobs?q=nurse&location=Atlantis")
	if r.status != http.StatusBadRequest {
		t.Errorf("status %d, want 400", r.status)
	}
	mustContain(t, r, "There is a problem", `href="#location"`, "We could not find &#34;Atlantis&#34;", `value="Atlantis"`, `value="nurse"`)
	if strings.Contains(r.body, "app-result") {
		t.Error("results shown for an unrecognised place")
	}
}

func TestJobsPage_ZeroResultsOfferWaysOut(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust, vt.Title("Dietitian"), vt.At(vt.Cambridge)))
	r := f.get(t, "/jobs?q=dietitian&location=Wisbech&distance=5&band=7")
	mustContain(t, r, "No jobs match your search", "Search within 10 miles of Wisbech", "Search everywhere in the region",
		"Remove the filter Band 7")
}

func TestJobsPage_PagesThroughResults(t *testing.T) {
	f := setUp(t, "")
	var list []vacancies.Vacancy
	for range 45 {
		list = append(list, vt.New(f.trust))
	}
	f.save(t, list...)
	r := f.get(t, "/jobs?page=3")
	mustContain(t, r, "Showing 41 to 45 of 45", `aria-current="page">3</a>`, `rel="prev"`)
	if strings.Contains(r.body, `rel="next"`) {
		t.Error("last page offers a next page")
	}
}

func TestVacancyPage_ShowsDetailsAndJobPosting(t *testing.T) {
	f := setUp(t, "")
	v := f.save(t, vt.New(f.trust, vt.Title("Band 5 Staff Nurse"), vt.Group("nursing-midwifery"), func(v *vacancies.Vacancy) {
		v.Pay = vacancies.Pay{Band: "5"}
		v.PassportAccepted = true
	}))[0]
	r := f.get(t, v.Path())
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r, "Band 5 Staff Nurse", "Band 5: £29,970 to £36,483 a year", "Staff passport accepted",
		`href="/employers/fen-valley-trust"`, v.ApplyURL)
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var ld map[string]any
	if err := json.Unmarshal([]byte(m[1]), &ld); err != nil {
		t.Fatalf("JSON-LD does not parse: %v", err)
	}
	for _, field := range []string{"title", "description", "datePosted", "validThrough", "hiringOrganization",
		"jobLocation", "baseSalary", "employmentType", "identifier", "directApply"} {
		if _, ok := ld[field]; !ok {
			t.Errorf("JSON-LD has no %s", field)
		}
	}
	if ld["@type"] != "JobPosting" {
		t.Errorf("@type = %v", ld["@type"])
	}
}

func TestVacancyPage_ClosedSaysSoWithoutJobPosting(t *testing.T) {
	f := setUp(t, "")
	v := f.save(t, vt.New(f.trust, vt.Status(vacancies.Closed), vt.Closing(-2)))[0]
	r := f.get(t, v.Path())
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r, "This job has closed", `name="robots" content="noindex"`)
	if strings.Contains(r.body, "application/ld+json") || strings.Contains(r.body, v.ApplyURL) {
		t.Error("a closed job still offers JSON-LD or the apply link")
	}
}

func TestVacancyPage_NotFoundAndRedirects(t *testing.T) {
	f := setUp(t, "")
	live := f.save(t, vt.New(f.trust, vt.Title("Porter")))[0]
	draft := f.save(t, vt.New(f.trust, vt.Status(vacancies.Draft)))[0]
	for _, path := range []string{"/jobs/999999/nothing", "/jobs/abc/x", draft.Path(), "/no-such-page"} {
		r := f.get(t, path)
		if r.status != http.StatusNotFound || !strings.Contains(r.body, "Page not found") {
			t.Errorf("%s: status %d, want the 404 page", path, r.status)
		}
	}
	for _, path := range []string{"/jobs/" + itoa(live.ID), "/jobs/" + itoa(live.ID) + "/old-title"} {
		r := f.get(t, path)
		if r.status != http.StatusMovedPermanently || r.header.Get("Location") != live.Path() {
			t.Errorf("%s: %d to %q, want 301 to %s", path, r.status, r.header.Get("Location"), live.Path())
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAPI_VacanciesAnswersTheAgreedShape(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust, vt.Title("Paramedic"), vt.At(vt.Peterborough)))
	r := f.get(t, "/api/v1/vacancies?q=paramedic&location=PE1+1AA")
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var body struct {
		Total, Page, Pages int
		Hits               []map[string]any
		Facets             map[string]map[string]int
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatal(err)
	}
	if body.Total != 1 || len(body.Hits) != 1 || body.Facets["partner"]["fen-valley-trust"] != 1 {
		t.Fatalf("unexpected body: %s", r.body)
	}
	for _, field := range []string{"id", "title", "url", "partner", "locations", "pay", "staff_group", "contract",
		"pattern", "posted", "closing_date", "passport_accepted", "distance_miles"} {
		if _, ok := body.Hits[0][field]; !ok {
			t.Errorf("hit has no %s", field)
		}
	}
}

func TestAPI_BadParameterIs400NamingIt(t *testing.T) {
	f := setUp(t, "")
	for query, param := range map[string]string{
		"location=Atlantis": "location", "sort=sideways": "sort", "page=-1": "page", "band=99": "band",
	} {
		r := f.get(t, "/api/v1/vacancies?"+query)
		var body map[string]string
		_ = json.Unmarshal([]byte(r.body), &body)
		if r.status != http.StatusBadRequest || body["parameter"] != param || body["error"] == "" {
			t.Errorf("%s: %d %s, want 400 naming %s", query, r.status, r.body, param)
		}
	}
	if r := f.get(t, "/api/v1/vacancies/12345678"); r.status != http.StatusNotFound {
		t.Errorf("unknown vacancy: %d", r.status)
	}
}

func TestSearchDown_SearchSays503WhileOtherPagesWork(t *testing.T) {
	f := setUp(t, "http://127.0.0.1:1")
	v := f.save(t, vt.New(f.trust, vt.Title("Phlebotomist")))[0]
	r := f.get(t, "/jobs?q=nurse")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "Search is unavailable") {
		t.Errorf("/jobs: %d, want the 503 page", r.status)
	}
	if r := f.get(t, "/api/v1/vacancies"); r.status != http.StatusServiceUnavailable {
		t.Errorf("API: %d, want 503", r.status)
	}
	for _, path := range []string{v.Path(), "/employers", "/employers/fen-valley-trust", "/"} {
		if r := f.get(t, path); r.status != http.StatusOK {
			t.Errorf("%s: %d, want 200 while search is down", path, r.status)
		}
	}
	if r := f.get(t, "/readyz"); r.status != http.StatusServiceUnavailable || !strings.Contains(r.body, "meilisearch") {
		t.Errorf("/readyz: %d %s", r.status, r.body)
	}
}

func TestEveryPage_CarriesSecurityHeaders(t *testing.T) {
	f := setUp(t, "")
	r := f.get(t, "/")
	for header, want := range map[string]string{
		"Content-Security-Policy": "frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
	} {
		if !strings.Contains(r.header.Get(header), want) {
			t.Errorf("%s = %q, want it to contain %q", header, r.header.Get(header), want)
		}
	}
	if strings.Contains(r.header.Get("Content-Security-Policy"), "unsafe-inline") {
		t.Error("CSP allows inline code")
	}
}

func TestUnsafeMethods_NeedACSRFToken(t *testing.T) {
	f := setUp(t, "")
	resp, err := http.Post(f.server.URL+"/jobs", "application/x-www-form-urlencoded", strings.NewReader("q=x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusForbidden {
		t.Errorf("POST without a token: %d, want 400 or 403", resp.StatusCode)
	}
}

func TestEmployers_ListEveryPartnerWithLiveCounts(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.care), vt.New(f.care), vt.New(f.care, vt.Status(vacancies.Draft)))
	r := f.get(t, "/employers")
	mustContain(t, r, "Test willow-care</a> <span class=\"nhsuk-body-s\">2 live jobs", "Test fen-valley-trust</a> <span class=\"nhsuk-body-s\">0 live jobs")
	r = f.get(t, "/employers/willow-care")
	mustContain(t, r, "2 live jobs", "Healthcare support worker")
	if r := f.get(t, "/employers/nobody"); r.status != http.StatusNotFound {
		t.Errorf("unknown employer: %d", r.status)
	}
}

func TestContentPages_AreServedFromMarkdown(t *testing.T) {
	f := setUp(t, "")
	for path, want := range map[string]string{
		"/about-our-data": "Contains OS data © Crown copyright",
		"/accessibility":  "Accessibility statement",
		"/privacy":        "Privacy notice",
	} {
		r := f.get(t, path)
		if r.status != http.StatusOK || !strings.Contains(r.body, want) {
			t.Errorf("%s: %d, want a page containing %q", path, r.status, want)
		}
	}
}

func TestIndeedFeed_ListsEveryOpenRoleAsValidXML(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust, vt.Title("Nurse & Midwife <Band 6>")), vt.New(f.care, vt.Title("Carer")),
		vt.New(f.care, vt.Title("Draft role"), vt.Status(vacancies.Draft)))
	r := f.get(t, "/feeds/indeed.xml")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/xml") {
		t.Fatalf("status %d, type %s", r.status, r.header.Get("Content-Type"))
	}
	var doc struct {
		Jobs []struct {
			Title   string `xml:"title"`
			URL     string `xml:"url"`
			Company string `xml:"company"`
		} `xml:"job"`
	}
	if err := xml.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	if len(doc.Jobs) != 2 || doc.Jobs[0].Title != "Nurse & Midwife <Band 6>" || !strings.HasPrefix(doc.Jobs[0].URL, "http") {
		t.Errorf("jobs = %+v, want the two live roles with absolute URLs", doc.Jobs)
	}
}

func TestJobsRSS_FollowsTheSameSearchAsThePage(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust, vt.Title("Radiographer"), vt.Group("allied-health")), vt.New(f.care, vt.Title("Carer"), vt.Group("social-care")))
	page := f.get(t, "/jobs?staff_group=allied-health")
	mustContain(t, page, `href="/jobs.rss?staff_group=allied-health"`, `type="application/rss+xml"`)
	r := f.get(t, "/jobs.rss?staff_group=allied-health")
	var doc struct {
		Channel struct {
			Items []struct {
				Title string `xml:"title"`
				Link  string `xml:"link"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal([]byte(r.body), &doc); err != nil {
		t.Fatalf("not RSS: %v\n%s", err, r.body)
	}
	if len(doc.Channel.Items) != 1 || !strings.HasPrefix(doc.Channel.Items[0].Title, "Radiographer") {
		t.Errorf("items = %+v, want only the radiographer", doc.Channel.Items)
	}
	if r := f.get(t, "/jobs.rss?location=Atlantis"); r.status != http.StatusBadRequest {
		t.Errorf("bad parameter: %d, want 400", r.status)
	}
}
