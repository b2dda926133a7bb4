package site_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/pages"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// publish saves a page as published by an editor and syncs search.
func (f *fixture) publish(t *testing.T, p pages.Page) pages.Page {
	t.Helper()
	editor := f.account(t, "writer."+p.Slug+"@example.org", accounts.Editor, nil, "")
	id, err := f.deps.Pages.Save(context.Background(), editor.user.ID, p, pages.Action{Kind: "publish"})
	must(t, err)
	f.drainOutbox(t)
	p, err = f.deps.Pages.Get(context.Background(), id)
	must(t, err)
	return p
}

const fensBlock = "Work close to home.\n\n```vacancies\nheading: Care jobs near Wisbech\nq: care\nplace: Wisbech\nradius: 10\nlimit: 3\n```\n"

func TestAreaGuide_ShowsLiveJobsFromItsBlock(t *testing.T) {
	f := setUp(t, "")
	f.save(t,
		vt.New(f.care, vt.Title("Care Assistant"), vt.At(vt.Wisbech), vt.Group("social-care")),
		vt.New(f.care, vt.Title("Care Assistant Nights"), vt.At(vt.Leeds), vt.Group("social-care")),
	)
	f.publish(t, pages.Page{Kind: pages.AreaGuide, Slug: "fens-test", Title: "Living in the Fens", Summary: "Big skies.", Body: fensBlock})
	r := f.get(t, "/living-here/fens-test")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r, "Living in the Fens", "Care jobs near Wisbech", ">Care Assistant</a>", "See all 1 job", `href="/living-here"`)
	if strings.Contains(r.body, "Care Assistant Nights") {
		t.Error("the block lists a job outside its radius")
	}
	mustContain(t, f.get(t, "/living-here"), "Living in the Fens", "Big skies.")
}

func TestLiveBlock_BadParameterIsShownToTheEditorNeverToThePublic(t *testing.T) {
	f := setUp(t, "")
	body := "Intro.\n\n```vacancies\nradius: 500\nplace: Wisbech\n```\n\n```vacancies\npartner: no-such-employer\n```\n\nOutro."
	f.publish(t, pages.Page{Kind: pages.Campaign, Slug: "broken-block", Title: "A broken block", Body: body})
	r := f.get(t, "/campaigns/broken-block")
	if r.status != http.StatusOK {
		t.Fatalf("public page with a bad block: status %d", r.status)
	}
	mustContain(t, r, "Intro.", "Outro.")
	if strings.Contains(r.body, "problem") || strings.Contains(r.body, "radius") {
		t.Error("the public page shows the block's problem")
	}
	editor := f.account(t, "ed@example.org", accounts.Editor, nil, "").signIn()
	p, err := f.deps.Pages.Live(context.Background(), pages.Campaign, "broken-block")
	must(t, err)
	form := pageFormValues(p)
	form.Set("action", "preview")
	r = editor.post("/editor/pages/"+itoa(p.ID), form)
	mustContain(t, r, "This live block has a problem", "radius", "no-such-employer", "Intro.")
}

func pageFormValues(p pages.Page) url.Values {
	return url.Values{"kind": {string(p.Kind)}, "slug": {p.Slug}, "title": {p.Title}, "summary": {p.Summary}, "body": {p.Body},
		"places": {strings.Join(p.Places, ", ")}, "tags": {strings.Join(p.Tags, ", ")}}
}

func TestSiteSearch_FindsThePathwayAsWellAsTheRoles(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust, vt.Title("Trainee Nursing Associate"), vt.Group("nursing-midwifery")),
		vt.New(f.trust, vt.Title("Porter"), vt.Group("estates-ancillary")))
	f.publish(t, pages.Page{Kind: pages.Pathway, Slug: "nursing-test", Title: "Nursing careers",
		Summary: "From support worker to registered nurse.", Body: "## Nursing associate\n\nA nursing associate bridges support workers and registered nurses."})
	r := f.get(t, "/api/v1/search?q=nursing+associate")
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got struct {
		Pages struct {
			Total int
			Hits  []struct{ Title, URL, Kind string }
		}
		Vacancies struct {
			Total int
			Hits  []struct{ Title string }
		}
	}
	must(t, json.Unmarshal([]byte(r.body), &got))
	found := false
	for _, h := range got.Pages.Hits {
		found = found || (h.URL == "/careers/nursing-test" && h.Kind == "career-pathway")
	}
	if !found {
		t.Errorf("the nursing pathway is not among the pages: %+v", got.Pages)
	}
	if got.Vacancies.Total != 1 || got.Vacancies.Hits[0].Title != "Trainee Nursing Associate" {
		t.Errorf("vacancies: %+v", got.Vacancies)
	}
	mustContain(t, f.get(t, "/search?q=nursing+associate"), "Career pathway", "/careers/nursing-test", "Trainee", "See all 1 job")
	if r := f.get(t, "/api/v1/search"); r.status != http.StatusBadRequest {
		t.Errorf("no q: status %d", r.status)
	}
}

func TestCampaign_CountsVisitsJobViewsAndApplyClicksWithoutCookies(t *testing.T) {
	f := setUp(t, "")
	v := f.save(t, vt.New(f.care, vt.Title("Care Assistant"), vt.At(vt.Wisbech), vt.Group("social-care")))[0]
	f.publish(t, pages.Page{Kind: pages.Campaign, Slug: "fens-care", Title: "Care in the Fens", Body: fensBlock})

	visitor := f.anonymous(t)
	r := visitor.get("/campaigns/fens-care?utm_source=Facebook")
	link := v.Path() + "?campaign=fens-care"
	mustContain(t, r, `href="`+link+`"`)
	if cookies := r.header.Values("Set-Cookie"); len(cookies) > 0 {
		for _, c := range cookies {
			if !strings.HasPrefix(c, "__csrf=") {
				t.Errorf("the campaign page sets a cookie: %s", c)
			}
		}
	}
	r = visitor.get(link + "&utm_source=Facebook")
	apply := "/jobs/" + itoa(v.ID) + "/apply?campaign=fens-care&amp;utm_source=Facebook"
	mustContain(t, r, `href="`+apply+`"`)
	r = visitor.get(strings.ReplaceAll(apply, "&amp;", "&"))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != v.ApplyURL {
		t.Fatalf("apply: status %d to %q", r.status, r.header.Get("Location"))
	}
	rows, err := f.deps.Pages.CampaignReport(context.Background(), time.Now().AddDate(0, 0, -1), time.Now().AddDate(0, 0, 1))
	must(t, err)
	if len(rows) == 0 || rows[0].Campaign != "fens-care" || rows[0].Visits != 1 || rows[0].VacancyViews != 1 || rows[0].ApplyClicks != 1 {
		t.Fatalf("report %+v, want fens-care first with 1 visit, 1 view, 1 click", rows)
	}
	editor := f.account(t, "comms@example.org", accounts.Editor, nil, "").signIn()
	mustContain(t, editor.get("/editor/campaigns"), "Care in the Fens", "from facebook: 1 visits")
}

func TestVacancyPage_LinksTheAreaGuideAndThePathway(t *testing.T) {
	f := setUp(t, "")
	v := f.save(t, vt.New(f.care, vt.Title("Senior Carer"), vt.At(vt.Wisbech), vt.Group("social-care")))[0]
	f.publish(t, pages.Page{Kind: pages.AreaGuide, Slug: "fenland-test", Title: "Living in Fenland", Places: []string{"Wisbech", "March"}, Body: "Fens."})
	f.publish(t, pages.Page{Kind: pages.Pathway, Slug: "care-test", Title: "Care careers", StaffGroups: []string{"social-care"}, Body: "Care."})
	f.publish(t, pages.Page{Kind: pages.Pathway, Slug: "nursing-x", Title: "Nursing careers", StaffGroups: []string{"nursing-midwifery"}, Body: "Nursing."})
	r := f.get(t, v.Path())
	mustContain(t, r, "Find out more", `href="/living-here/fenland-test"`, `href="/careers/care-test"`)
	if strings.Contains(r.body, "nursing-x") {
		t.Error("the vacancy links a pathway for another staff group")
	}
}

func TestSitemapAndStoriesFeed_ListWhatIsLive(t *testing.T) {
	f := setUp(t, "")
	v := f.save(t, vt.New(f.trust, vt.Title("Radiographer")))[0]
	f.publish(t, pages.Page{Kind: pages.Story, Slug: "my-story", Title: "My story", Summary: "How I moved here.", Body: "Story."})
	r := f.get(t, "/sitemap.xml")
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	must(t, xml.Unmarshal([]byte(r.body), &sm))
	var locs []string
	for _, u := range sm.URLs {
		locs = append(locs, u.Loc)
	}
	all := strings.Join(locs, " ")
	for _, want := range []string{v.Path(), "/stories/my-story", "/accessibility"} {
		if !strings.Contains(all, want) {
			t.Errorf("sitemap has no %s", want)
		}
	}
	r = f.get(t, "/stories.rss")
	var feed struct {
		Items []struct {
			Title string `xml:"title"`
		} `xml:"channel>item"`
	}
	must(t, xml.Unmarshal([]byte(r.body), &feed))
	if len(feed.Items) == 0 || feed.Items[0].Title != "My story" {
		t.Errorf("stories feed: %+v", feed.Items)
	}
}

func TestEditor_SchedulesAPageThatGoesLiveAtItsTime(t *testing.T) {
	f := setUp(t, "")
	editor := f.account(t, "ed@example.org", accounts.Editor, nil, "").signIn()
	when := time.Now().Add(48 * time.Hour).In(time.UTC)
	form := url.Values{"kind": {"campaign"}, "slug": {"winter-care"}, "title": {"Winter care"}, "summary": {"Join us this winter."},
		"body": {"Warm jobs.\n\n```vacancies\nq: care\n```\n"}, "action": {"schedule"},
		"publish_at-day": {itoaInt(when.Day())}, "publish_at-month": {itoaInt(int(when.Month()))}, "publish_at-year": {itoaInt(when.Year())},
		"publish_time": {"09:00"}}
	r := editor.post("/editor/pages/new", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("schedule: status %d\n%s", r.status, excerpt(r.body))
	}
	if r := f.get(t, "/campaigns/winter-care"); r.status != http.StatusNotFound {
		t.Fatalf("a scheduled page is public: status %d", r.status)
	}
	mustContain(t, editor.get(r.header.Get("Location")), "Scheduled", "goes live")
	ids, err := f.deps.Pages.PublishDue(context.Background(), when.Add(24*time.Hour))
	must(t, err)
	if len(ids) != 1 {
		t.Fatalf("published %d pages", len(ids))
	}
	mustContain(t, f.get(t, "/campaigns/winter-care"), "Winter care", "Warm jobs.")

	// Every save is a revision that can be compared and restored.
	form.Set("body", "Hot jobs.")
	form.Set("action", "publish")
	p, err := f.deps.Pages.Live(context.Background(), pages.Campaign, "winter-care")
	must(t, err)
	editor.post("/editor/pages/"+itoa(p.ID), form)
	mustContain(t, f.get(t, "/campaigns/winter-care"), "Hot jobs.")
	mustContain(t, editor.get("/editor/pages/"+itoa(p.ID)+"/history/2"), "Removed: </span>Warm jobs.", "Added: </span>Hot jobs.")
	if r := editor.post("/editor/pages/"+itoa(p.ID)+"/history/1/restore", nil); r.status != http.StatusSeeOther {
		t.Fatalf("restore: status %d", r.status)
	}
	mustContain(t, f.get(t, "/campaigns/winter-care"), "Warm jobs.")
}

func TestEditor_ImageNeedsARealImageAndAltText(t *testing.T) {
	f := setUp(t, "")
	editor := f.account(t, "ed@example.org", accounts.Editor, nil, "").signIn()
	r := editor.upload("/editor/media", "image", "fens.png", []byte("<svg onload=alert(1)></svg>"))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("svg upload: status %d", r.status)
	}
	mustContain(t, r, "There is a problem", `href="#alt"`)
}
