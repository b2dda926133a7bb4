package site_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// Who may use a route.
type access int

const (
	public       access = iota // everyone, signed in or not
	signedIn                   // any signed-in account
	anyRecruiter               // members of any partner, and admins
	partnerA                   // members of the partner in the URL (A), and admins
	partnerAdmin               // partner admins of A, and admins
	editors                    // editors and admins
	admins                     // system admins only
)

// routeAccess says who may use each route. A route missing here fails the
// test: every new route must be placed in the matrix.
func routeAccess(method, path string) (access, bool) {
	switch {
	case path == "/admin" || strings.HasPrefix(path, "/admin/"):
		return admins, true
	case path == "/editor" || strings.HasPrefix(path, "/editor/"):
		return editors, true
	case path == "/recruiter":
		return anyRecruiter, true
	case strings.HasPrefix(path, "/recruiter/:partner/profile"), strings.HasPrefix(path, "/recruiter/:partner/team"),
		strings.HasPrefix(path, "/recruiter/:partner/questions"):
		return partnerAdmin, true
	case path == "/recruiter/:partner" || strings.HasPrefix(path, "/recruiter/:partner/"):
		return partnerA, true
	}
	key := method + " " + path
	if slices.Contains(signedInRoutes, key) {
		return signedIn, true
	}
	if slices.Contains(publicRoutes, key) {
		return public, true
	}
	return 0, false
}

var signedInRoutes = []string{
	"GET /account", "GET /account/name", "POST /account/name", "GET /account/password", "POST /account/password",
	"POST /account/sign-out-everywhere", "GET /account/two-factor", "POST /account/two-factor/set-up",
	"POST /account/two-factor/confirm", "POST /account/two-factor/recovery-codes", "POST /account/two-factor/disable",
	"POST /account/invitation",
	"GET /account/alerts", // job alerts (site/alerts.go)
	// Profile, staff passport, data download and deletion (site/profile*.go).
	"GET /account/profile", "POST /account/profile",
	"GET /account/profile/jobs/new", "POST /account/profile/jobs/new", "GET /account/profile/jobs/:n", "POST /account/profile/jobs/:n", "POST /account/profile/jobs/:n/remove",
	"GET /account/profile/education/new", "POST /account/profile/education/new", "GET /account/profile/education/:n", "POST /account/profile/education/:n", "POST /account/profile/education/:n/remove",
	"GET /account/profile/references/new", "POST /account/profile/references/new", "GET /account/profile/references/:n", "POST /account/profile/references/:n", "POST /account/profile/references/:n/remove",
	"GET /account/passport", "GET /account/passport/new", "POST /account/passport/new", "GET /account/passport/:id", "POST /account/passport/:id",
	"POST /account/passport/:id/remove", "POST /account/passport/:id/evidence", "GET /account/passport/evidence/:id", "POST /account/passport/evidence/:id/remove",
	"GET /account/data", "GET /account/delete", "POST /account/delete",
	// Applying with a profile, and following applications (site/apply.go, site/applications.go).
	"GET /jobs/:id/application", "POST /jobs/:id/application",
	"GET /account/applications", "GET /account/applications/:id", "POST /account/applications/:id/withdraw",
}

var publicRoutes = []string{
	"GET /", "GET /jobs", "GET /jobs.rss", "GET /feeds/indeed.xml", "GET /jobs/:id", "GET /jobs/:id/:slug",
	"GET /employers", "GET /employers/:slug", "GET /employers/:slug/logo.png",
	"GET /:slug", "GET /living-here", "GET /living-here/:slug", "GET /careers", "GET /careers/:slug",
	"GET /campaigns/:slug", "GET /stories", "GET /stories.rss", "GET /stories/:slug", "GET /search", "GET /sitemap.xml",
	"GET /media/:id/:name", "GET /jobs/:id/apply", "GET /api/v1/search",
	"GET /api/v1/vacancies", "GET /api/v1/vacancies/:id", "GET /api/v1/partners",
	"GET /healthz", "GET /readyz", "GET /metrics", "GET /favicon.ico", "GET /robots.txt",
	"GET /account/deleted",
	"GET /account/sign-up", "POST /account/sign-up", "GET /account/verify", "GET /account/sign-in", "POST /account/sign-in",
	"GET /account/sign-in/two-factor", "POST /account/sign-in/two-factor", "POST /account/sign-out",
	"GET /account/reset", "POST /account/reset", "GET /account/reset/new", "POST /account/reset/new", "GET /account/invitation",
	// Job alerts need no account: their e-mailed links carry a signed token (site/alerts.go).
	"GET /alerts/new", "POST /alerts", "GET /alerts/confirm", "GET /alerts/manage", "POST /alerts/frequency",
	"GET /alerts/unsubscribe", "POST /alerts/unsubscribe",
}

// matrix is the people every authorisation test runs as.
type matrix struct {
	f                                             *fixture
	anonymous, jobseeker, recruiterA, adminA      *actor
	recruiterB, editor, admin, teammate, outsider *actor
	a, b                                          partners.Partner
	vacancyA, vacancyB                            vacancies.Vacancy
	feedA, pageID                                 int64
	invitationA                                   string
}

func newMatrix(t *testing.T) *matrix {
	f := setUp(t, "")
	m := &matrix{f: f, a: f.trust, b: f.care}
	m.anonymous = f.anonymous(t)
	m.jobseeker = f.account(t, "jo@example.org", accounts.Jobseeker, nil, "").signIn()
	m.recruiterA = f.account(t, "rec.a@example.org", accounts.Jobseeker, &m.a, accounts.Recruiter).signIn()
	m.adminA = f.account(t, "padmin.a@example.org", accounts.Jobseeker, &m.a, accounts.PartnerAdmin).signIn()
	m.recruiterB = f.account(t, "rec.b@example.org", accounts.Jobseeker, &m.b, accounts.Recruiter).signIn()
	m.editor = f.account(t, "ed@example.org", accounts.Editor, nil, "").signIn()
	m.admin = f.account(t, "root@example.org", accounts.Admin, nil, "").signIn()
	m.teammate = f.account(t, "mate.a@example.org", accounts.Jobseeker, &m.a, accounts.Recruiter)
	m.outsider = f.account(t, "target@example.org", accounts.Jobseeker, nil, "")
	saved := f.save(t, vt.New(m.a, vt.Title("Ward sister")), vt.New(m.b, vt.Title("Care worker")))
	m.vacancyA, m.vacancyB = saved[0], saved[1]
	ctx := context.Background()
	var err error
	m.feedA, err = f.deps.Feeds.Add(ctx, feeds.Feed{PartnerID: m.a.ID, URL: "https://a.example/jobs.xml", Format: "indeed", Every: time.Hour})
	must(t, err)
	_, err = f.deps.Accounts.Invite(ctx, m.a.ID, "new.a@example.org", accounts.Recruiter, m.adminA.user.ID, time.Hour)
	must(t, err)
	_, invitations, err := f.deps.Accounts.Members(ctx, m.a.ID)
	must(t, err)
	m.invitationA = invitations[0].ID
	plain, err := f.deps.Pages.Live(ctx, pages.Plain, "accessibility")
	must(t, err)
	m.pageID = plain.ID
	return m
}

// fill puts real ids into a route's parameters: everything points at
// partner A and its things.
func (m *matrix) fill(path string) string {
	id := itoa(m.vacancyA.ID)
	switch {
	case strings.HasPrefix(path, "/admin/partners/"):
		id = itoa(m.a.ID)
	case strings.HasPrefix(path, "/admin/users/"):
		id = itoa(m.outsider.user.ID)
	case strings.HasPrefix(path, "/admin/feeds/"):
		id = itoa(m.feedA)
	case strings.HasPrefix(path, "/editor/pages/"):
		id = itoa(m.pageID)
	}
	partner := m.a.Slug
	if strings.HasPrefix(path, "/admin/") {
		partner = itoa(m.a.ID)
	}
	return strings.NewReplacer(":partner", partner, ":id", id, ":slug", m.slugFor(path), ":n", "1", ":name", "x.png",
		":user", itoa(m.teammate.user.ID), ":invitation", m.invitationA).Replace(path)
}

func (m *matrix) slugFor(path string) string {
	for prefix, slug := range map[string]string{"/jobs/": m.vacancyA.Slug(), "/living-here/": "cambridge",
		"/careers/": "nursing", "/campaigns/": "care-in-the-fens", "/stories/": "a-physio-who-moved-to-ely", "/:slug": "accessibility"} {
		if strings.HasPrefix(path, prefix) {
			return slug
		}
	}
	return m.a.Slug
}

// allowed lists, for each kind of route, who gets in.
func (m *matrix) allowed(a access, who *actor) bool {
	switch a {
	case public:
		return true
	case signedIn:
		return who != m.anonymous
	case anyRecruiter:
		return slices.Contains([]*actor{m.recruiterA, m.adminA, m.recruiterB, m.admin}, who)
	case partnerA:
		return slices.Contains([]*actor{m.recruiterA, m.adminA, m.admin}, who)
	case partnerAdmin:
		return slices.Contains([]*actor{m.adminA, m.admin}, who)
	case editors:
		return slices.Contains([]*actor{m.editor, m.admin}, who)
	case admins:
		return who == m.admin
	}
	return false
}

// TestAuthorisation_EveryRouteForEveryRole drives every route in Echo's
// route list as each kind of user: the allowed get the page (whatever the
// page then says about an empty form), visitors are sent to sign in from
// private areas, and everyone else is refused with 403.
func TestAuthorisation_EveryRouteForEveryRole(t *testing.T) {
	m := newMatrix(t)
	people := map[string]*actor{"anonymous": m.anonymous, "jobseeker": m.jobseeker, "recruiter of A": m.recruiterA,
		"partner admin of A": m.adminA, "recruiter of B": m.recruiterB, "editor": m.editor, "admin": m.admin}
	names := []string{"anonymous", "jobseeker", "recruiter of A", "partner admin of A", "recruiter of B", "editor", "admin"}
	routes := m.f.app.Routes()
	slices.SortFunc(routes, func(x, y *echo.Route) int { return strings.Compare(x.Method+x.Path, y.Method+y.Path) })
	checked := 0
	for _, route := range routes {
		if route.Method == echo.RouteNotFound || strings.HasPrefix(route.Path, "/static/") {
			continue
		}
		acc, ok := routeAccess(route.Method, route.Path)
		if !ok {
			t.Errorf("%s %s is not in the authorisation matrix: add it to routeAccess", route.Method, route.Path)
			continue
		}
		path := m.fill(route.Path)
		for _, name := range names {
			who := people[name]
			var r response
			if route.Method == http.MethodGet {
				r = who.get(path)
			} else {
				r = who.post(path, url.Values{})
			}
			checked++
			switch {
			case m.allowed(acc, who):
				if r.status == http.StatusForbidden || r.status >= 500 || (acc != public && sentToSignIn(r) && !isSignOut(route.Path)) {
					t.Errorf("%s %s as %s: status %d (to %q), want the page", route.Method, path, name, r.status, r.header.Get("Location"))
				}
			case who == m.anonymous:
				if !sentToSignIn(r) {
					t.Errorf("%s %s as a visitor: status %d, want a redirect to sign in", route.Method, path, r.status)
				}
			default:
				if r.status != http.StatusForbidden {
					t.Errorf("%s %s as %s: status %d, want 403", route.Method, path, name, r.status)
				}
			}
			if isSignOut(route.Path) && who != m.anonymous {
				who.signIn() // that request ended the session; carry on signed in
			}
		}
	}
	if checked < 300 {
		t.Errorf("only %d requests checked: the route list looks wrong", checked)
	}
}

func isSignOut(path string) bool {
	return path == "/account/sign-out" || path == "/account/sign-out-everywhere"
}

// TestAuthorisation_RecruiterCannotReachAnotherPartnersVacancyByID swaps
// partner A's vacancy id into partner B's own URLs and forms.
func TestAuthorisation_RecruiterCannotReachAnotherPartnersVacancyByID(t *testing.T) {
	m := newMatrix(t)
	base := "/recruiter/" + m.b.Slug + "/vacancies/" + itoa(m.vacancyA.ID)
	for _, tc := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", base, nil},
		{"GET", base + "/edit", nil},
		{"POST", base + "/edit", url.Values{"action": {"preview"}, "title": {"Stolen"}}},
		{"POST", base + "/edit", url.Values{"action": {"publish"}, "title": {"Stolen"}}},
		{"POST", base + "/close", nil},
		{"POST", base + "/extend", url.Values{"closing_on-day": {"1"}, "closing_on-month": {"1"}, "closing_on-year": {"2031"}}},
		{"POST", base + "/duplicate", nil},
	} {
		var r response
		if tc.method == "GET" {
			r = m.recruiterB.get(tc.path)
		} else {
			r = m.recruiterB.post(tc.path, tc.form)
		}
		if r.status != http.StatusNotFound {
			t.Errorf("%s %s as recruiter of B: status %d, want 404", tc.method, tc.path, r.status)
		}
		if strings.Contains(r.body, "Ward sister") {
			t.Errorf("%s %s shows partner A's vacancy to B", tc.method, tc.path)
		}
	}
	got, err := m.f.vacancies.Get(context.Background(), m.vacancyA.ID)
	must(t, err)
	if got.Status != vacancies.Live || got.Title != "Ward sister" || !got.ClosingOn.Equal(m.vacancyA.ClosingOn) {
		t.Errorf("partner A's vacancy changed: %s %q closing %s", got.Status, got.Title, got.ClosingOn)
	}
	if n := countVacancies(t, m, m.b.ID); n != 1 {
		t.Errorf("partner B has %d vacancies, want its 1 (no duplicate of A's)", n)
	}
}

func countVacancies(t *testing.T, m *matrix, partnerID int64) int {
	_, total, err := m.f.vacancies.List(context.Background(), vacancies.ListFilter{PartnerID: partnerID, Page: 1, PerPage: 10})
	must(t, err)
	return total
}

// TestCSRF_EveryUnsafeRouteRefusesRequestsWithoutAValidToken posts to every
// unsafe route as a signed-in admin, without a token and with a wrong one.
func TestCSRF_EveryUnsafeRouteRefusesRequestsWithoutAValidToken(t *testing.T) {
	m := newMatrix(t)
	unsafe := 0
	for _, route := range m.f.app.Routes() {
		if route.Method == http.MethodGet || route.Method == http.MethodHead || route.Method == echo.RouteNotFound {
			continue
		}
		// RFC 8058 one-click unsubscribe takes no CSRF token by design: mail
		// clients post to the List-Unsubscribe address without one. The signed
		// alert token in the URL is the authority, and the route can do nothing
		// but end that one alert (TestAlerts_SubscribeConfirmReceiveAndUnsubscribeInOneClick,
		// TestAlerts_LinksWithABadTokenDoNothing).
		if route.Method == http.MethodPost && route.Path == "/alerts/unsubscribe" {
			continue
		}
		unsafe++
		path := m.fill(route.Path)
		for _, who := range []*actor{m.anonymous, m.admin, m.adminA} {
			if r := who.postWithoutToken(path, url.Values{}); r.status != http.StatusForbidden {
				t.Errorf("%s %s with no token: status %d, want 403", route.Method, path, r.status)
			}
			if r := who.post(path, url.Values{"_csrf": {"not-the-token"}}); r.status != http.StatusForbidden {
				t.Errorf("%s %s with a wrong token: status %d, want 403", route.Method, path, r.status)
			}
		}
	}
	if unsafe < 30 {
		t.Errorf("only %d unsafe routes found", unsafe)
	}
	// Nothing happened: the admin is still signed in and A's vacancy is live.
	if r := m.admin.get("/admin"); r.status != http.StatusOK {
		t.Errorf("admin signed out by a forged request: status %d", r.status)
	}
	got, err := m.f.vacancies.Get(context.Background(), m.vacancyA.ID)
	must(t, err)
	if got.Status != vacancies.Live {
		t.Errorf("a forged close went through: vacancy is %s", got.Status)
	}
}
