package site_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/mail/mailtest"
)

func TestSignUp_ConfirmsTheAddressByMailThenSignsIn(t *testing.T) {
	f := setUp(t, "")
	visitor := f.anonymous(t)
	r := visitor.post("/account/sign-up", url.Values{"name": {"Amara Okafor"}, "email": {"amara@example.org"}, "password": {testPassword}})
	mustContain(t, r, "Check your e-mail", "amara@example.org")

	// Not confirmed yet: signing in sends a new link instead.
	r = visitor.post("/account/sign-in", url.Values{"email": {"amara@example.org"}, "password": {testPassword}})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "Confirm your e-mail address") {
		t.Fatalf("unconfirmed sign-in: status %d", r.status)
	}
	msg := f.mail.WaitFor(t, "amara@example.org", "Confirm")
	link := linkTo(t, msg.Text, "/account/verify")
	r = visitor.get(link)
	if r.status != http.StatusSeeOther {
		t.Fatalf("verify link: status %d\n%s", r.status, excerpt(r.body))
	}
	if r = visitor.get(link); r.status != http.StatusGone {
		t.Errorf("a used link still works: status %d", r.status)
	}
	r = visitor.post("/account/sign-in", url.Values{"email": {"AMARA@example.org"}, "password": {testPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account" {
		t.Fatalf("sign in: status %d to %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, visitor.get("/account"), "Amara Okafor", "amara@example.org", "Sign out")
}

func TestSignUp_NeverSaysWhetherAnAddressIsRegistered(t *testing.T) {
	f := setUp(t, "")
	f.account(t, "taken@example.org", accounts.Jobseeker, nil, "")
	fresh := f.anonymous(t).post("/account/sign-up", url.Values{"name": {"A"}, "email": {"free@example.org"}, "password": {testPassword}})
	taken := f.anonymous(t).post("/account/sign-up", url.Values{"name": {"A"}, "email": {"taken@example.org"}, "password": {testPassword}})
	if fresh.status != taken.status || strings.ReplaceAll(fresh.body, "free@", "taken@") != taken.body {
		t.Errorf("the page for a registered address differs from a new one")
	}
	// The owner hears about it by mail instead.
	msg := f.mail.WaitFor(t, "taken@example.org", "")
	if !strings.Contains(msg.Text, "/account/reset") {
		t.Errorf("the owner's mail does not offer a password reset:\n%s", msg.Text)
	}
	// Wrong password and unknown address read the same too.
	wrong := f.anonymous(t).post("/account/sign-in", url.Values{"email": {"taken@example.org"}, "password": {"not the password at all"}})
	unknown := f.anonymous(t).post("/account/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"not the password at all"}})
	if wrong.status != unknown.status || withoutToken(strings.ReplaceAll(wrong.body, "taken@", "nobody@")) != withoutToken(unknown.body) {
		t.Errorf("sign-in tells a wrong password from an unknown address")
	}
}

func TestSignUp_KeepsInputAndExplainsEachMistake(t *testing.T) {
	f := setUp(t, "")
	r := f.anonymous(t).post("/account/sign-up", url.Values{"name": {"Sam <b>Lee</b>"}, "email": {"not-an-address"}, "password": {"short"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r, "There is a problem", `href="#email"`, `href="#password"`, `value="not-an-address"`,
		`value="Sam &lt;b&gt;Lee&lt;/b&gt;"`, "nhsuk-input--error")
	if strings.Contains(r.body, `value="short"`) {
		t.Error("the password was echoed back into the page")
	}
}

func TestPasswordReset_SingleUseLinkEndsEverySession(t *testing.T) {
	f := setUp(t, "")
	owner := f.account(t, "kim@example.org", accounts.Jobseeker, nil, "").signIn()
	visitor := f.anonymous(t)
	r := visitor.post("/account/reset", url.Values{"email": {"kim@example.org"}})
	mustContain(t, r, "If an account uses kim@example.org")
	link := linkTo(t, f.mail.WaitFor(t, "kim@example.org", "password").Text, "/account/reset/new")
	token := strings.SplitN(link, "token=", 2)[1]
	if r = visitor.get(link); r.status != http.StatusOK {
		t.Fatalf("reset form: status %d", r.status)
	}
	r = visitor.post("/account/reset/new", url.Values{"token": {token}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("reset: status %d\n%s", r.status, excerpt(r.body))
	}
	if r = owner.get("/account"); !sentToSignIn(r) {
		t.Errorf("the session from before the reset still works: status %d", r.status)
	}
	if r = visitor.get(link); r.status != http.StatusGone {
		t.Errorf("the reset link works twice: status %d", r.status)
	}
	r = visitor.post("/account/sign-in", url.Values{"email": {"kim@example.org"}, "password": {"a brand new passphrase"}})
	if r.status != http.StatusSeeOther {
		t.Errorf("sign in with the new password: status %d", r.status)
	}
	f.mail.WaitFor(t, "kim@example.org", "changed")
	// Unknown addresses get the same answer and no mail.
	mustContain(t, f.anonymous(t).post("/account/reset", url.Values{"email": {"ghost@example.org"}}), "If an account uses ghost@example.org")
	if n := f.mail.Count(t, "ghost@example.org"); n != 0 {
		t.Errorf("%d mails sent to an unknown address", n)
	}
}

func TestSessions_SignOutEndsTheSessionForGood(t *testing.T) {
	f := setUp(t, "")
	a := f.account(t, "lou@example.org", accounts.Jobseeker, nil, "").signIn()
	stolen := copyCookies(t, f, a)
	a.post("/account/sign-out", nil)
	if r := stolen.get("/account"); !sentToSignIn(r) {
		t.Errorf("a copy of the cookie still works after sign-out: status %d", r.status)
	}
}

func TestSessions_PasswordChangeEndsOtherSessionsButNotThisOne(t *testing.T) {
	f := setUp(t, "")
	laptop := f.account(t, "max@example.org", accounts.Jobseeker, nil, "")
	phone := &actor{t: t, f: f, client: newBrowser(t), user: laptop.user}
	laptop.signIn()
	phone.signIn()
	r := laptop.post("/account/password", url.Values{"current_password": {testPassword}, "new_password": {"another long passphrase"}, "confirm": {"another long passphrase"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change password: status %d\n%s", r.status, excerpt(r.body))
	}
	if r := phone.get("/account"); !sentToSignIn(r) {
		t.Errorf("the other session survived a password change: status %d", r.status)
	}
	mustContain(t, laptop.get("/account"), "Your password has been changed")
}

func TestSessions_SignOutEverywhereAndDisablingEndAllSessions(t *testing.T) {
	f := setUp(t, "")
	a := f.account(t, "nell@example.org", accounts.Jobseeker, nil, "")
	b := &actor{t: t, f: f, client: newBrowser(t), user: a.user}
	a.signIn()
	b.signIn()
	a.post("/account/sign-out-everywhere", nil)
	if sentToSignIn(a.get("/account")) == false || sentToSignIn(b.get("/account")) == false {
		t.Error("a session survived signing out everywhere")
	}
	admin := f.account(t, "boss@example.org", accounts.Admin, nil, "").signIn()
	a.signIn()
	r := admin.post("/admin/users/"+itoa(a.user.ID)+"/disable", url.Values{"disabled": {"true"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("disable: status %d\n%s", r.status, excerpt(r.body))
	}
	if r := a.get("/account"); !sentToSignIn(r) {
		t.Errorf("a disabled user is still signed in: status %d", r.status)
	}
	if r := a.post("/account/sign-in", url.Values{"email": {a.user.Email}, "password": {testPassword}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a disabled user can sign in: status %d", r.status)
	}
}

func TestSessions_ExpiredSessionsAreRefused(t *testing.T) {
	f := setUp(t, "")
	idle := f.account(t, "ida@example.org", accounts.Jobseeker, nil, "").signIn()
	old := f.account(t, "abe@example.org", accounts.Jobseeker, nil, "").signIn()
	ctx := context.Background()
	_, err := f.deps.Pool.Exec(ctx, `UPDATE sessions SET last_seen_at = now() - $2::interval WHERE user_id = $1`,
		idle.user.ID, f.deps.Config.SessionIdle.String())
	must(t, err)
	_, err = f.deps.Pool.Exec(ctx, `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, old.user.ID)
	must(t, err)
	for _, a := range []*actor{idle, old} {
		if r := a.get("/account"); !sentToSignIn(r) {
			t.Errorf("%s: an expired session still works: status %d", a.user.Email, r.status)
		}
	}
}

func TestSessions_SignInGivesANewSessionID(t *testing.T) {
	f := setUp(t, "")
	a := f.account(t, "fix@example.org", accounts.Jobseeker, nil, "")
	a.get("/account/sign-in")
	before := sessionCookie(t, f, a)
	a.signIn()
	if after := sessionCookie(t, f, a); after == "" || after == before {
		t.Errorf("the session id did not change at sign-in (%q -> %q)", before, after)
	}
}

func TestSignIn_TwoFactorIsRequiredForAdminsAndAcceptsARecoveryCodeOnce(t *testing.T) {
	f := setUp(t, "")
	admin := f.account(t, "chief@example.org", accounts.Admin, nil, "")
	r := admin.post("/account/sign-in", url.Values{"email": {admin.user.Email}, "password": {testPassword}})
	if r.header.Get("Location") != "/account/sign-in/two-factor" {
		t.Fatalf("password alone went to %q", r.header.Get("Location"))
	}
	if r = admin.get("/admin"); !sentToSignIn(r) {
		t.Errorf("half signed in, /admin answered %d", r.status)
	}
	if r = admin.post("/account/sign-in/two-factor", url.Values{"code": {"000000"}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("wrong code: status %d", r.status)
	}
	code := admin.recovery[3]
	if r = admin.post("/account/sign-in/two-factor", url.Values{"code": {strings.ToUpper(code)}}); r.status != http.StatusSeeOther {
		t.Fatalf("recovery code: status %d", r.status)
	}
	mustContain(t, admin.get("/admin"), "You signed in with a recovery code. You have 9 left")
	again := &actor{t: t, f: f, client: newBrowser(t), user: admin.user}
	again.post("/account/sign-in", url.Values{"email": {admin.user.Email}, "password": {testPassword}})
	if r = again.post("/account/sign-in/two-factor", url.Values{"code": {code}}); r.status != http.StatusUnprocessableEntity {
		t.Errorf("a used recovery code worked again: status %d", r.status)
	}
}

func TestSignIn_AdminWithoutTwoFactorMustSetItUpFirst(t *testing.T) {
	f := setUp(t, "")
	ctx := context.Background()
	u, err := f.deps.Accounts.CreateAdmin(ctx, "new.admin@example.org", "New Admin", testPassword)
	must(t, err)
	a := (&actor{t: t, f: f, client: newBrowser(t), user: u}).signIn()
	r := a.get("/admin")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/two-factor" {
		t.Errorf("/admin without two-factor: status %d to %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, a.get("/account/two-factor"), "Your role needs two-factor sign-in")
}

func TestSignIn_RateLimitedPerAccount(t *testing.T) {
	f := setUp(t, "")
	a := f.account(t, "target@example.org", accounts.Jobseeker, nil, "")
	var r response
	for range 11 {
		r = f.anonymous(t).post("/account/sign-in", url.Values{"email": {"target@example.org"}, "password": {"guess guess guess"}})
	}
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("11th wrong password in a row: status %d", r.status)
	}
	mustContain(t, r, "Too many attempts")
	// Even the right password waits: the limit is on the account.
	if r = a.post("/account/sign-in", url.Values{"email": {a.user.Email}, "password": {testPassword}}); r.status != http.StatusTooManyRequests {
		t.Errorf("right password during the lock-out: status %d", r.status)
	}
}

// linkTo finds the link to path in a mail and makes it relative.
func linkTo(t *testing.T, text, path string) string {
	t.Helper()
	for _, l := range mailtest.Links(text) {
		u, err := url.Parse(l)
		if err == nil && u.Path == path {
			return u.RequestURI()
		}
	}
	t.Fatalf("no link to %s in:\n%s", path, text)
	return ""
}

func copyCookies(t *testing.T, f *fixture, a *actor) *actor {
	b := f.anonymous(t)
	u, _ := url.Parse(f.server.URL)
	b.client.Jar.SetCookies(u, a.client.Jar.Cookies(u))
	return b
}

func sessionCookie(t *testing.T, f *fixture, a *actor) string {
	u, _ := url.Parse(f.server.URL)
	for _, c := range a.client.Jar.Cookies(u) {
		if c.Name == "session" {
			return c.Value
		}
	}
	return ""
}

var csrfField = regexp.MustCompile(`name="_csrf" value="[^"]*"`)

// withoutToken blanks the CSRF token, which differs between browsers.
func withoutToken(body string) string { return csrfField.ReplaceAllString(body, `name="_csrf"`) }

func TestAdmin_ResetsALostTwoFactorAndTheUserMustSetItUpAgain(t *testing.T) {
	f := setUp(t, "")
	pa := f.account(t, "lost.phone@example.org", accounts.Jobseeker, &f.trust, accounts.PartnerAdmin).signIn()
	admin := f.account(t, "boss@example.org", accounts.Admin, nil, "").signIn()
	if r := admin.post("/admin/users/"+itoa(admin.user.ID)+"/two-factor/reset", nil); r.status != http.StatusConflict {
		t.Errorf("an admin resetting their own two-factor: status %d", r.status)
	}
	r := admin.post("/admin/users/"+itoa(pa.user.ID)+"/two-factor/reset", nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("reset: status %d\n%s", r.status, excerpt(r.body))
	}
	if r := pa.get("/recruiter/fen-valley-trust"); !sentToSignIn(r) {
		t.Errorf("the reset left them signed in: status %d", r.status)
	}
	f.mail.WaitFor(t, pa.user.Email, "")
	pa.secret = "" // signs in with the password alone now
	pa.signIn()
	if r := pa.get("/recruiter/fen-valley-trust/team"); r.header.Get("Location") != "/account/two-factor" {
		t.Errorf("a partner admin without two-factor reached the console: status %d to %q", r.status, r.header.Get("Location"))
	}
	var audited int
	must(t, f.deps.Pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'two-factor.reset' AND target_id = $1`,
		itoa(pa.user.ID)).Scan(&audited))
	if audited != 1 {
		t.Errorf("%d audit entries, want 1", audited)
	}
}

func TestAdmin_PullsAFeedNow(t *testing.T) {
	f := setUp(t, "")
	admin := f.account(t, "feeds@example.org", accounts.Admin, nil, "").signIn()
	var feedID int64
	must(t, f.deps.Pool.QueryRow(context.Background(), `INSERT INTO feeds (partner_id, url, format) VALUES ($1, 'https://x.example/f.xml', 'indeed') RETURNING id`, f.trust.ID).Scan(&feedID))
	for range 2 { // a second press while the first waits adds nothing
		if r := admin.post("/admin/feeds/"+itoa(feedID)+"/run", nil); r.status != http.StatusSeeOther {
			t.Fatalf("run now: status %d\n%s", r.status, excerpt(r.body))
		}
	}
	var queued int
	must(t, f.deps.Pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'feed_run' AND args->>'feed_id' = $1`,
		itoa(feedID)).Scan(&queued))
	if queued != 1 {
		t.Errorf("%d runs queued, want 1", queued)
	}
	mustContain(t, admin.get("/admin/feeds/"+itoa(feedID)), "The feed will be pulled within a minute")
}

func TestSessions_RecordTheClientAddressBehindAProxy(t *testing.T) {
	f := setUp(t, "")
	a := f.account(t, "proxied@example.org", accounts.Jobseeker, nil, "")
	// The test server is on loopback, a trusted proxy address, so its
	// X-Forwarded-For is believed: as behind the compose deployment's proxy.
	a.client.Transport = headerTransport{"X-Forwarded-For": "203.0.113.7"}
	a.signIn()
	mustContain(t, a.get("/account"), "203.0.113.7")
}

// headerTransport adds headers to every request.
type headerTransport map[string]string

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range h {
		r.Header.Set(k, v)
	}
	return http.DefaultTransport.RoundTrip(r)
}
