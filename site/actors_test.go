package site_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/partners"
)

const testPassword = "plum orchard lantern 42"

// actor is one browser: a cookie jar and the account signed in on it.
type actor struct {
	t        *testing.T
	f        *fixture
	client   *http.Client
	user     accounts.User
	secret   string   // two-factor secret, when it is on
	recovery []string // recovery codes left, for signing in again
}

// account creates a verified account. role is a system role; with a
// partner it also gets that partner role. Admins and partner admins get
// two-factor sign-in, which their roles require.
func (f *fixture) account(t *testing.T, email string, role accounts.Role, p *partners.Partner, prole accounts.PartnerRole) *actor {
	t.Helper()
	ctx := context.Background()
	st := f.deps.Accounts
	u, err := st.SignUp(ctx, email, strings.Split(email, "@")[0], testPassword)
	if err != nil {
		t.Fatalf("sign up %s: %v", email, err)
	}
	must(t, st.MarkEmailVerified(ctx, u.ID))
	if role != accounts.Jobseeker {
		must(t, st.SetRole(ctx, u.ID, role))
	}
	if p != nil {
		must(t, st.AddMember(ctx, u.ID, p.ID, prole))
	}
	if u, err = st.Get(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	a := &actor{t: t, f: f, client: newBrowser(t), user: u}
	if u.NeedsTwoFactor() {
		secret, _, err := st.BeginTwoFactor(ctx, u.ID, "test")
		must(t, err)
		code, err := totp.GenerateCode(secret, time.Now())
		must(t, err)
		a.recovery, err = st.ConfirmTwoFactor(ctx, u.ID, code)
		must(t, err)
		a.secret = secret
	}
	return a
}

func newBrowser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	must(t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (f *fixture) anonymous(t *testing.T) *actor {
	return &actor{t: t, f: f, client: newBrowser(t)}
}

// signIn signs in through the real forms, with the second factor when the
// account has one: a code from the next time step the first time (the
// step used to turn it on cannot be used again), recovery codes after.
func (a *actor) signIn() *actor {
	a.t.Helper()
	r := a.post("/account/sign-in", url.Values{"email": {a.user.Email}, "password": {testPassword}})
	if r.status != http.StatusSeeOther {
		a.t.Fatalf("sign in %s: status %d\n%s", a.user.Email, r.status, excerpt(r.body))
	}
	if a.secret != "" {
		if loc := r.header.Get("Location"); loc != "/account/sign-in/two-factor" {
			a.t.Fatalf("sign in %s: went to %q, not the two-factor step", a.user.Email, loc)
		}
		code := a.recovery[0]
		a.recovery = a.recovery[1:]
		if len(a.recovery) == 9 {
			var err error
			code, err = totp.GenerateCode(a.secret, time.Now().Add(30*time.Second))
			must(a.t, err)
		}
		r = a.post("/account/sign-in/two-factor", url.Values{"code": {code}})
		if r.status != http.StatusSeeOther {
			a.t.Fatalf("second factor for %s: status %d\n%s", a.user.Email, r.status, excerpt(r.body))
		}
	}
	return a
}

func (a *actor) get(path string) response {
	a.t.Helper()
	return a.do(http.MethodGet, path, nil, "")
}

// post sends a form with the CSRF token the site gave this browser.
func (a *actor) post(path string, form url.Values) response {
	a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", a.csrfToken())
	}
	return a.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// postWithoutToken sends a form with no CSRF token at all.
func (a *actor) postWithoutToken(path string, form url.Values) response {
	a.t.Helper()
	return a.do(http.MethodPost, path, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

// csrfToken is the token in this browser's CSRF cookie, fetching a page
// first if it has none yet.
func (a *actor) csrfToken() string {
	a.t.Helper()
	base, _ := url.Parse(a.f.server.URL)
	for range 2 {
		for _, c := range a.client.Jar.Cookies(base) {
			if c.Name == "__csrf" {
				return c.Value
			}
		}
		a.get("/account/sign-in")
	}
	a.t.Fatal("the site set no CSRF cookie")
	return ""
}

func (a *actor) do(method, path string, body io.Reader, contentType string) response {
	a.t.Helper()
	req, err := http.NewRequest(method, a.f.server.URL+path, body)
	must(a.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(data)}
}

// sentToSignIn reports whether a response sends the browser to sign in.
func sentToSignIn(r response) bool {
	return r.status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/account/sign-in")
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func excerpt(body string) string {
	if i := strings.Index(body, `<main`); i >= 0 {
		body = body[i:]
	}
	if len(body) > 1500 {
		body = body[:1500]
	}
	return body
}
