package site_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/alerts"
	"github.com/regionalcareers/portal/internal/mail/mailtest"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// runAlerts does what the alerts job does for every due alert.
func (f *fixture) runAlerts(t *testing.T) int {
	t.Helper()
	ctx := context.Background()
	digests := alerts.NewDigests(f.deps.Alerts, f.deps.Search, f.vacancies, f.deps.Mail, f.deps.Config.BaseURL,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	ids, err := digests.Due(ctx)
	must(t, err)
	sent := 0
	for _, id := range ids {
		n, err := digests.Send(ctx, id)
		must(t, err)
		sent += n
	}
	return sent
}

// onSite turns a link from an e-mail into a path on the test server.
func (f *fixture) onSite(t *testing.T, link string) string {
	t.Helper()
	path, ok := strings.CutPrefix(link, f.deps.Config.BaseURL)
	if !ok {
		t.Fatalf("link %q is not on the site (%s)", link, f.deps.Config.BaseURL)
	}
	return path
}

// linkTo finds the first link in an e-mail whose path starts with prefix.
func (f *fixture) linkTo(t *testing.T, m mailtest.Received, prefix string) string {
	t.Helper()
	for _, l := range mailtest.Links(m.Text) {
		if strings.HasPrefix(l, f.deps.Config.BaseURL+prefix) {
			return f.onSite(t, l)
		}
	}
	t.Fatalf("no %s link in:\n%s", prefix, m.Text)
	return ""
}

var inboxes atomic.Int64

// inbox is an address of the test's own: the package's tests, and earlier
// runs with -count, share one Mailpit.
func inbox(name string) string { return fmt.Sprintf("%s.%d@example.org", name, inboxes.Add(1)) }

func alertForm(query, email, frequency string) url.Values {
	return url.Values{"query": {query}, "email": {email}, "frequency": {frequency}}
}

func TestAlerts_EverySearchPageOffersAlertsForTheWholeSearch(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust, vt.Title("Community Staff Nurse"), vt.At(vt.Wisbech), vt.Group("nursing-midwifery")))
	for path, want := range map[string]string{
		"/jobs?q=nurse&location=Wisbech&staff_group=nursing-midwifery&sort=closing&page=1": `href="/alerts/new?distance=10&amp;location=Wisbech&amp;q=nurse&amp;sort=closing&amp;staff_group=nursing-midwifery"`,
		"/jobs?q=astronaut": `href="/alerts/new?q=astronaut"`, // no results yet: an alert says when there are
		"/jobs":             `href="/alerts/new?"`,
	} {
		r := f.get(t, path)
		mustContain(t, r, want, "Get e-mail alerts for this search")
	}
	r := f.get(t, "/alerts/new?distance=10&location=Wisbech&q=nurse&sort=closing&staff_group=nursing-midwifery")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	mustContain(t, r, "Nurse jobs within 10 miles of Wisbech (Nursing and midwifery)",
		`name="query" value="distance=10&amp;location=Wisbech&amp;q=nurse&amp;staff_group=nursing-midwifery"`,
		`value="daily" checked`, `<label class="nhsuk-label" for="email">E-mail address</label>`)
}

func TestAlerts_SubscribeConfirmReceiveAndUnsubscribeInOneClick(t *testing.T) {
	f := setUp(t, "")
	to := inbox("alert.visitor")
	nurse := f.save(t, vt.New(f.trust, vt.Title("Community Staff Nurse"), vt.At(vt.Wisbech)),
		vt.New(f.care, vt.Title("Care Assistant"), vt.At(vt.Wisbech)))[0]
	visitor := f.anonymous(t)

	r := visitor.post("/alerts", alertForm("q=nurse&location=Wisbech", to, "instant"))
	if r.status != http.StatusOK {
		t.Fatalf("subscribe: status %d\n%s", r.status, excerpt(r.body))
	}
	mustContain(t, r, "Check your e-mail", to)
	confirm := f.mail.WaitFor(t, to, "Confirm your job alert")
	if !strings.Contains(confirm.Text, "Nurse jobs within 10 miles of Wisbech") {
		t.Errorf("confirmation e-mail does not say what the alert is:\n%s", confirm.Text)
	}

	// Double opt-in: nothing is sent until the link is opened.
	if n := f.runAlerts(t); n != 0 || f.mail.Count(t, to) != 1 {
		t.Fatalf("an unconfirmed alert sent %d roles (%d e-mails)", n, f.mail.Count(t, to))
	}
	r = visitor.get(f.linkTo(t, confirm, "/alerts/confirm?token="))
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/alerts/manage?token=") {
		t.Fatalf("confirm: %d to %q", r.status, r.header.Get("Location"))
	}
	manage := visitor.get(r.header.Get("Location"))
	mustContain(t, manage, "Your job alert is set up", "Nurse jobs within 10 miles of Wisbech", ">On<", "As soon as new jobs are posted")

	if n := f.runAlerts(t); n != 1 {
		t.Fatalf("first digest listed %d roles, want 1", n)
	}
	digest := f.mail.WaitFor(t, to, "1 new job: Nurse jobs within 10 miles of Wisbech")
	if !strings.Contains(digest.Text, "Community Staff Nurse") || strings.Contains(digest.Text, "Care Assistant") {
		t.Errorf("digest:\n%s", digest.Text)
	}
	if !strings.Contains(digest.Text, f.deps.Config.BaseURL+nurse.Path()) {
		t.Errorf("digest does not link the role %s:\n%s", nurse.Path(), digest.Text)
	}
	if h := digest.Headers["List-Unsubscribe-Post"]; len(h) != 1 || h[0] != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post = %q", h)
	}
	header := digest.Headers["List-Unsubscribe"]
	if len(header) != 1 || !strings.HasPrefix(header[0], "<"+f.deps.Config.BaseURL+"/alerts/unsubscribe?token=") {
		t.Fatalf("List-Unsubscribe = %q", header)
	}

	// The mail client's one-click unsubscribe: no cookies, no CSRF token.
	mailClient := f.anonymous(t)
	oneClick := f.onSite(t, strings.Trim(header[0], "<>"))
	r = mailClient.postWithoutToken(oneClick, url.Values{"List-Unsubscribe": {"One-Click"}})
	if r.status != http.StatusOK {
		t.Fatalf("one-click unsubscribe: status %d\n%s", r.status, excerpt(r.body))
	}
	mustContain(t, r, "You have unsubscribed")
	f.save(t, vt.New(f.trust, vt.Title("District Nurse"), vt.At(vt.Wisbech)))
	if n := f.runAlerts(t); n != 0 || f.mail.Count(t, to) != 2 {
		t.Errorf("after unsubscribing, %d roles went out (%d e-mails, want 2)", n, f.mail.Count(t, to))
	}
	mustContain(t, visitor.get(f.linkTo(t, digest, "/alerts/manage?token=")), "You have no job alerts")
}

func TestAlerts_BadAddressShowsTheFormAgainWithTheMessageAndTheInput(t *testing.T) {
	f := setUp(t, "")
	badAddress := strings.TrimSuffix(inbox("physio"), "@example.org") + ".at.example.org"
	r := f.anonymous(t).post("/alerts", alertForm("q=physio&band=6", badAddress, "weekly"))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", r.status)
	}
	mustContain(t, r, "There is a problem", `href="#email"`, "Enter an e-mail address in the correct format",
		`value="`+badAddress+`"`, `value="weekly" checked`, "Physio jobs (Band 6)",
		`name="query" value="band=6&amp;q=physio"`)
	if n := f.mail.Count(t, badAddress); n != 0 {
		t.Errorf("%d e-mails to a bad address", n)
	}
}

func TestAlerts_TheSamePageWhetherOrNotTheAddressHasAlerts(t *testing.T) {
	f := setUp(t, "")
	to := inbox("alert.twice")
	first := f.anonymous(t).post("/alerts", alertForm("q=porter", to, "daily"))
	f.mail.WaitFor(t, to, "Confirm your job alert")
	must(t, confirmAll(f, to))
	second := f.anonymous(t).post("/alerts", alertForm("q=porter", to, "instant"))
	if first.status != second.status || mainText(first.body) != mainText(second.body) {
		t.Errorf("the pages differ:\n%s\n---\n%s", mainText(first.body), mainText(second.body))
	}
	if got := f.mail.WaitFor(t, to, "Your job alert"); !strings.Contains(got.Text, "that you already have") {
		t.Errorf("the owner is not told the alert exists:\n%s", got.Text)
	}
	list, err := f.deps.Alerts.ListForEmail(context.Background(), to)
	must(t, err)
	if len(list) != 1 || list[0].Frequency != "daily" {
		t.Errorf("alerts %+v, want the one daily alert unchanged", list)
	}
}

func confirmAll(f *fixture, email string) error {
	_, err := f.deps.Pool.Exec(context.Background(), `UPDATE alerts SET confirmed_at = now() WHERE email = $1`, email)
	return err
}

// mainText is a page's <main>, without the per-request CSRF token.
func mainText(body string) string {
	start, end := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if start < 0 || end < start {
		return body
	}
	return body[start:end]
}

func TestAlerts_OpeningTheUnsubscribeLinkAsksFirst(t *testing.T) {
	f := setUp(t, "")
	token, err := f.deps.Alerts.Subscribe(context.Background(), "alert.scanner@example.org", 0, url.Values{"q": {"midwife"}}, "Midwife jobs", "daily")
	must(t, err)
	must(t, confirmAll(f, "alert.scanner@example.org"))
	visitor := f.anonymous(t)
	r := visitor.get("/alerts/unsubscribe?token=" + token)
	mustContain(t, r, "Unsubscribe from this job alert?", "Midwife jobs", `action="/alerts/unsubscribe"`, `name="_csrf"`)
	if a, _ := f.deps.Alerts.ByToken(context.Background(), token); a.Unsubscribed() {
		t.Fatal("opening the link unsubscribed: mail scanners would end alerts")
	}
	r = visitor.post("/alerts/unsubscribe", url.Values{"token": {token}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("unsubscribe: status %d", r.status)
	}
	mustContain(t, visitor.get(r.header.Get("Location")), "You have unsubscribed from “Midwife jobs”", "You have no job alerts")
	if a, _ := f.deps.Alerts.ByToken(context.Background(), token); !a.Unsubscribed() {
		t.Error("the button did not unsubscribe")
	}
}

func TestAlerts_ManagePageChangesHowOften(t *testing.T) {
	f := setUp(t, "")
	token, err := f.deps.Alerts.Subscribe(context.Background(), "alert.often@example.org", 0, url.Values{"q": {"dietitian"}}, "Dietitian jobs", "daily")
	must(t, err)
	visitor := f.anonymous(t)
	mustContain(t, visitor.get("/alerts/manage?token="+token), "Dietitian jobs", "Waiting for you to confirm", `value="daily" checked`)
	r := visitor.post("/alerts/frequency", url.Values{"token": {token}, "frequency": {"weekly"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("status %d\n%s", r.status, excerpt(r.body))
	}
	mustContain(t, visitor.get(r.header.Get("Location")), "We will now e-mail you once a week", `value="weekly" checked`)
}

func TestAlerts_LinksWithABadTokenDoNothing(t *testing.T) {
	f := setUp(t, "")
	visitor := f.anonymous(t)
	for _, path := range []string{"/alerts/confirm?token=forged", "/alerts/manage?token=", "/alerts/unsubscribe?token=AAAA"} {
		if r := visitor.get(path); r.status != http.StatusNotFound || !strings.Contains(r.body, "This link does not work") {
			t.Errorf("%s: status %d", path, r.status)
		}
	}
	if r := visitor.postWithoutToken("/alerts/unsubscribe?token=forged", url.Values{"List-Unsubscribe": {"One-Click"}}); r.status != http.StatusNotFound {
		t.Errorf("one-click with a forged token: status %d, want 404", r.status)
	}
}

func TestAlerts_SignedInWithTheirOwnAddressNeedNoConfirmingEmail(t *testing.T) {
	f := setUp(t, "")
	own, friend := inbox("alert.jo"), inbox("alert.friend")
	jo := f.account(t, own, accounts.Jobseeker, nil, "").signIn()
	mustContain(t, jo.get("/alerts/new?q=pharmacist"), `value="`+own+`"`)
	r := jo.post("/alerts", alertForm("q=pharmacist", own, "weekly"))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account/alerts" {
		t.Fatalf("status %d to %q", r.status, r.header.Get("Location"))
	}
	mustContain(t, jo.get("/account/alerts"), "Your job alert is set up", "Pharmacist jobs", ">On<", "Once a week")
	if n := f.mail.Count(t, own); n != 0 {
		t.Errorf("%d confirmation e-mails to the account's own verified address", n)
	}
	// Another address still needs its owner's confirmation.
	r = jo.post("/alerts", alertForm("q=pharmacist", friend, "weekly"))
	mustContain(t, r, "Check your e-mail")
	f.mail.WaitFor(t, friend, "Confirm your job alert")
	if page := jo.get("/account/alerts"); strings.Contains(page.body, friend) {
		t.Error("the account lists an alert to someone else's address")
	}
	if r := f.anonymous(t).get("/account/alerts"); !sentToSignIn(r) {
		t.Errorf("a visitor reached /account/alerts: %d", r.status)
	}
}

func TestAlerts_SubscribingIsRateLimitedPerAddress(t *testing.T) {
	f := setUp(t, "")
	to := inbox("alert.flood")
	var last response
	for i := range 6 {
		last = f.anonymous(t).post("/alerts", alertForm("q=nurse+"+itoa(int64(i)), to, "daily"))
	}
	if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, "Too many attempts") {
		t.Errorf("sixth subscription in an hour: status %d", last.status)
	}
	if n := f.mail.Count(t, to); n != 5 {
		t.Errorf("%d e-mails to one address in an hour, want 5", n)
	}
}

// The digest never lists a closed role, even one still in the index.
func TestAlerts_ARoleClosedAfterIndexingIsNeverSent(t *testing.T) {
	f := setUp(t, "")
	to := inbox("alert.closed")
	roles := f.save(t, vt.New(f.trust, vt.Title("Ward Manager")), vt.New(f.trust, vt.Title("Ward Clerk")))
	must(t, f.vacancies.SetStatus(context.Background(), roles[1].ID, vacancies.Closed))
	mustContain(t, f.get(t, "/jobs?q=ward"), roles[1].Path()) // still in the index: its sync has not run
	_, err := f.deps.Alerts.Subscribe(context.Background(), to, 0, url.Values{"q": {"ward"}}, "Ward jobs", "daily")
	must(t, err)
	must(t, confirmAll(f, to))
	if n := f.runAlerts(t); n != 1 {
		t.Fatalf("%d roles sent, want only the open one", n)
	}
	if got := f.mail.WaitFor(t, to, "1 new job"); strings.Contains(got.Text, "Ward Clerk") {
		t.Errorf("a closed role went out:\n%s", got.Text)
	}
}

// TestBrowser_JobAlertByKeyboard sets up an alert from a search with the
// keyboard only; every page on the way passes axe-core.
func TestBrowser_JobAlertByKeyboard(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust, vt.Title("Community Staff Nurse"), vt.At(vt.Wisbech), vt.Group("nursing-midwifery")))
	b := openBrowser(t, f.server.URL)
	to := inbox("alert.keyboard")

	b.visit("/jobs?q=nurse&location=Wisbech")
	b.tabTo(`a[href^="/alerts/new"]`, 80)
	b.pressToLoad(kb.Enter)
	if h := b.text("#alert-search"); h != "Nurse jobs within 10 miles of Wisbech" {
		t.Errorf("the form says the alert is for %q", h)
	}
	b.tabTo("#email", 10)
	b.press("not-an-address")
	b.tabTo(`form[action="/alerts"] button`, 10)
	b.pressToLoadStatus(kb.Enter, 422)
	if got := b.text(".nhsuk-error-summary"); !strings.Contains(got, "Enter an e-mail address in the correct format") {
		t.Errorf("error summary %q", got)
	}
	b.tabTo("#email", 20)
	eval[bool](b, `(document.activeElement.select(), true)`)
	b.press(to)
	b.tabTo(`form[action="/alerts"] button`, 10)
	b.pressToLoad(kb.Enter)
	if h := b.text("h1"); h != "Check your e-mail" {
		t.Fatalf("after subscribing: %q", h)
	}

	confirm := f.linkTo(t, f.mail.WaitFor(t, to, "Confirm your job alert"), "/alerts/confirm?token=")
	b.visit(confirm) // confirms, then shows the alert on the manage page
	if got := b.text(".nhsuk-notification-banner"); !strings.Contains(got, "Your job alert is set up") {
		t.Errorf("after confirming: %q", got)
	}
	token := strings.TrimPrefix(b.location().RawQuery, "token=")
	b.tabTo(`input[name="frequency"][value="daily"]:checked`, 20)
	b.press(kb.ArrowDown) // radios move with the arrow keys
	b.tabTo(`form[action="/alerts/frequency"] button`, 5)
	b.pressToLoad(kb.Enter)
	if got := b.text(".nhsuk-notification-banner"); !strings.Contains(got, "once a week") {
		t.Errorf("after changing how often: %q", got)
	}
	b.visit("/alerts/unsubscribe?token=" + token)
	b.tabTo(`form[action="/alerts/unsubscribe"] button`, 20)
	b.pressToLoad(kb.Enter)
	if got := b.text("main"); !strings.Contains(got, "You have no job alerts") {
		t.Errorf("after unsubscribing: %q", got)
	}
	b.visitStatus("/alerts/manage?token=forged", 404)
}
