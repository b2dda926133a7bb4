package site_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/sessionstore"
	"github.com/regionalcareers/portal/internal/testenv"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
	"github.com/regionalcareers/portal/site"
)

// adminFixture is the site with every dependency, and a signed-in admin.
type adminFixture struct {
	*fixture
	accounts *accounts.Store
	sessions *sessionstore.Store
	admin    accounts.User
	cookie   *http.Cookie // the admin's session
}

// csrfToken is the token every test request carries, in its cookie and
// its form: the CSRF check only compares the two.
const csrfToken = "admin-test-csrf-token"

func setUpAdmin(t *testing.T) *adminFixture {
	t.Helper()
	ctx := context.Background()
	cfg := testenv.ConfigForTest(t)
	pool, ps, vs := vt.Stores(t)
	if _, err := pool.Exec(ctx, `TRUNCATE users, sessions, audit_log, search_synonyms RESTART IDENTITY CASCADE`); err != nil {
		t.Fatal(err)
	}
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	client := search.New(cfg)
	if err := client.EnsureVacancyIndex(ctx); err != nil {
		t.Fatal(err)
	}
	deps := site.NewDeps(cfg, pool, ob, client, slog.New(slog.NewTextHandler(io.Discard, nil)))
	deps.Partners, deps.Vacancies = ps, vs
	f := &adminFixture{fixture: &fixture{vacancies: vs, syncer: search.NewSyncer(client, vs)},
		accounts: deps.Accounts, sessions: deps.Sessions}
	app, err := site.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	f.server = httptest.NewServer(app)
	t.Cleanup(f.server.Close)
	f.trust = vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	f.care = vt.Partner(t, ps, "willow-care", partners.CareProvider)
	f.admin = f.user(t, "ada@example.org", "Ada Admin", accounts.Admin)
	f.cookie = f.signIn(t, f.admin)
	return f
}

// user creates someone with role; admins get two-factor sign-in turned on,
// as their role needs it.
func (f *adminFixture) user(t *testing.T, email, name string, role accounts.Role) accounts.User {
	t.Helper()
	ctx := context.Background()
	u, err := f.accounts.SignUp(ctx, email, name, "a long and unusual passphrase 7")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.accounts.SetRole(ctx, u.ID, role); err != nil {
		t.Fatal(err)
	}
	if role == accounts.Admin {
		if _, err := testenv.Pool(t).Exec(ctx, `UPDATE users SET totp_secret = 'JBSWY3DPEHPK3PXP', totp_enabled_at = now() WHERE id = $1`, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	if u, err = f.accounts.Get(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	return u
}

// signIn stores a session for u, as signing in does, and returns its cookie.
func (f *adminFixture) signIn(t *testing.T, u accounts.User) *http.Cookie {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	sess, err := f.sessions.New(req, "session")
	if err != nil {
		t.Fatal(err)
	}
	sess.Values[sessionstore.UserIDKey] = u.ID
	rec := httptest.NewRecorder()
	if err := f.sessions.Save(req, rec, sess); err != nil {
		t.Fatal(err)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "session" {
			return c
		}
	}
	t.Fatal("no session cookie")
	return nil
}

// as sends a request with the session cookie (nil: none), not following
// redirects.
func (f *adminFixture) as(t *testing.T, cookie *http.Cookie, method, path string, form url.Values) response {
	t.Helper()
	var body io.Reader
	if form != nil {
		form.Set("_csrf", csrfToken)
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, f.server.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.AddCookie(&http.Cookie{Name: "__csrf", Value: csrfToken})
	if cookie != nil {
		req.AddCookie(cookie)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

func (f *adminFixture) adminGet(t *testing.T, path string) response {
	t.Helper()
	return f.as(t, f.cookie, http.MethodGet, path, nil)
}

func (f *adminFixture) adminPost(t *testing.T, path string, form url.Values) response {
	t.Helper()
	return f.as(t, f.cookie, http.MethodPost, path, form)
}

// runSearchSync does what the search worker does with the queued sync
// jobs: brings those vacancies' documents in line with PostgreSQL.
func (f *adminFixture) runSearchSync(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	rows, err := testenv.Pool(t).Query(ctx, `SELECT args FROM river_job WHERE kind = $1`, outbox.SyncVacancies{}.Kind())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var raw []byte
		var args outbox.SyncVacancies
		if err := rows.Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &args); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, args.IDs...)
	}
	if err := f.syncer.Sync(ctx, ids); err != nil {
		t.Fatal(err)
	}
}

func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d\n%s", r.status, want, r.body)
	}
}

func TestAdmin_OnlyAdminsGetIn(t *testing.T) {
	f := setUpAdmin(t)
	editor := f.user(t, "eve@example.org", "Eve Editor", accounts.Editor)
	wantStatus(t, f.as(t, f.signIn(t, editor), http.MethodGet, "/admin", nil), http.StatusForbidden)
	if r := f.as(t, nil, http.MethodGet, "/admin/users", nil); r.status != http.StatusSeeOther ||
		!strings.HasPrefix(r.header.Get("Location"), "/account/sign-in") {
		t.Errorf("anonymous: status %d to %q, want a redirect to sign in", r.status, r.header.Get("Location"))
	}
	for _, path := range []string{"/admin", "/admin/partners", "/admin/partners/new", "/admin/partners/" + itoa(f.trust.ID),
		"/admin/users", "/admin/users/" + itoa(f.admin.ID), "/admin/feeds", "/admin/search", "/admin/audit"} {
		r := f.adminGet(t, path)
		if r.status != http.StatusOK {
			t.Errorf("%s: status %d", path, r.status)
		}
		mustContain(t, r, `<meta name="robots" content="noindex">`, `aria-label="Admin pages"`)
	}
}

func TestAdmin_DeactivatingAPartnerTakesItsJobsOutOfSearch(t *testing.T) {
	f := setUpAdmin(t)
	f.save(t, vt.New(f.trust, vt.Title("Theatre Practitioner")), vt.New(f.care, vt.Title("Care Practitioner")))
	mustContain(t, f.get(t, "/jobs?q=practitioner"), "Theatre", "Care <mark>Practitioner</mark>")

	r := f.adminPost(t, "/admin/partners/"+itoa(f.trust.ID)+"/active", url.Values{"active": {"false"}})
	wantStatus(t, r, http.StatusSeeOther)
	f.runSearchSync(t)

	jobs := f.get(t, "/jobs?q=practitioner")
	if strings.Contains(jobs.body, "Theatre") {
		t.Error("the inactive partner's job is still in search")
	}
	mustContain(t, jobs, "Care <mark>Practitioner</mark>")
	mustContain(t, f.adminGet(t, r.header.Get("Location")), "is inactive", "Reactivate Test fen-valley-trust")
	mustContain(t, f.adminGet(t, "/admin/audit?action=partner.deactivate"), "partner.deactivate", "ada@example.org")
}

func TestAdmin_SynonymsWithAnErrorKeepTheTextAndSayWhichLine(t *testing.T) {
	f := setUpAdmin(t)
	text := "rn, registered nurse\nhca\n"
	r := f.adminPost(t, "/admin/search/synonyms", url.Values{"synonyms": {text}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "There is a problem", `href="#synonyms"`, "Line 2: put at least 2 terms", ">"+text+"</textarea>")

	r = f.adminPost(t, "/admin/search/synonyms", url.Values{"synonyms": {"RN, Registered  Nurse\nhca, healthcare assistant"}})
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, f.adminGet(t, "/admin/search"), "The synonyms are saved",
		">rn, registered nurse\nhca, healthcare assistant\n</textarea>")
}

func TestAdmin_CannotDisableOrDemoteThemselves(t *testing.T) {
	f := setUpAdmin(t)
	path := "/admin/users/" + itoa(f.admin.ID)
	r := f.adminPost(t, path+"/disable", url.Values{"disabled": {"true"}})
	wantStatus(t, r, http.StatusConflict)
	mustContain(t, r, "You cannot disable your own account")
	r = f.adminPost(t, path+"/role", url.Values{"role": {"editor"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "You cannot take away your own admin role")
	if u, err := f.accounts.Get(context.Background(), f.admin.ID); err != nil || u.Disabled || u.Role != accounts.Admin {
		t.Errorf("admin now %+v (%v)", u, err)
	}
}

func TestAdmin_DisablingSomeoneSignsThemOutAtOnce(t *testing.T) {
	f := setUpAdmin(t)
	bob := f.user(t, "bob@example.org", "Bob Jones", accounts.Jobseeker)
	bobs := f.signIn(t, bob)
	wantStatus(t, f.as(t, bobs, http.MethodGet, "/account", nil), http.StatusOK)

	wantStatus(t, f.adminPost(t, "/admin/users/"+itoa(bob.ID)+"/disable", url.Values{"disabled": {"true"}}), http.StatusSeeOther)
	wantStatus(t, f.as(t, bobs, http.MethodGet, "/account", nil), http.StatusSeeOther)
	mustContain(t, f.adminGet(t, "/admin/users?q=bob"), "Bob Jones", "Disabled")
	mustContain(t, f.adminGet(t, "/admin/audit?target=user&target_id="+itoa(bob.ID)), "user.disable", "sessions_ended")
}

func TestAdmin_AddsAPartnerAndARecruiterToIt(t *testing.T) {
	f := setUpAdmin(t)
	r := f.adminPost(t, "/admin/partners/new", url.Values{"name": {""}, "type": {"hospice"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Enter the organisation")
	if strings.Contains(r.body, "Slug must be") {
		t.Error("an empty optional slug is reported as well as the name")
	}
	r = f.adminPost(t, "/admin/partners/new", url.Values{"name": {"Hope Hospice"}, "type": {"hospice"}})
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, f.adminGet(t, r.header.Get("Location")), "Hope Hospice is added", `href="/recruiter/hope-hospice/team"`)
	partnerID := strings.TrimPrefix(r.header.Get("Location"), "/admin/partners/")

	bob := f.user(t, "bob@example.org", "Bob Jones", accounts.Jobseeker)
	r = f.adminPost(t, "/admin/users/"+itoa(bob.ID)+"/memberships",
		url.Values{"partner": {partnerID}, "membership_role": {"partner-admin"}})
	wantStatus(t, r, http.StatusSeeOther)
	mustContain(t, f.adminGet(t, r.header.Get("Location")), "Bob Jones is now a partner admin for Hope Hospice")
	mustContain(t, f.adminGet(t, "/admin/users?partner="+partnerID), "Bob Jones", "Hope Hospice (partner admin)")
}
