package site_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// TestBrowser_JobseekerAppliesToTwoEmployersWithOneProfile: a jobseeker
// whose profile and passport are already filled in applies for two roles at
// two employers by keyboard, typing nothing but a statement for each; the
// employers' recruiters move the applications on, and the jobseeker sees
// both new statuses in their account. Every page is checked by axe-core.
func TestBrowser_JobseekerAppliesToTwoEmployersWithOneProfile(t *testing.T) {
	f := setUp(t, "")
	nurse, carer := f.portalJob(t, f.trust, "Staff nurse, stroke unit"), f.portalJob(t, f.care, "Night carer")
	jo := f.account(t, "jo.browser@example.org", accounts.Jobseeker, nil, "")
	f.completeProfile(t, jo)
	f.givePassport(t, jo)
	b := openBrowser(t, f.server.URL)

	// From the advert to the form, by way of signing in.
	b.visit(nurse.Path())
	b.tabTo(`a[href="/jobs/`+itoa(nurse.ID)+`/application"]`, 80)
	b.pressToLoad(kb.Enter)
	if got := b.location().Path; got != "/account/sign-in" {
		t.Fatalf("applying while signed out went to %s, want the sign-in page", got)
	}
	b.tabTo("#email", 20)
	b.press(jo.user.Email)
	b.tabTo("#password", 2)
	b.press(testPassword)
	b.pressToLoad(kb.Enter)
	if got := b.location().Path; got != "/jobs/"+itoa(nurse.ID)+"/application" {
		t.Fatalf("after signing in the browser is on %s, want the application form", got)
	}

	apply := func(v vacancies.Vacancy, statement string, share bool) {
		t.Helper()
		if main := b.text("main"); !strings.Contains(main, "07700 900982") || !strings.Contains(main, "Senior carer, Fenland Care Home") {
			t.Errorf("the form for %s does not show the profile that will be sent", v.Title)
		}
		if eval[bool](b, `document.querySelector('#share_passport').checked`) {
			t.Errorf("sharing the passport is ticked before the jobseeker chose it")
		}
		b.tabTo("#statement", 60)
		b.press(statement)
		if share {
			b.tabTo("#share_passport", 5)
			b.press(" ")
		}
		b.tabTo(`form[action="/jobs/`+itoa(v.ID)+`/application"] button`, 10)
		b.pressToLoad(kb.Enter)
		if h := b.text("h1"); h != "Application sent" {
			t.Fatalf("after sending the application for %s the heading is %q", v.Title, h)
		}
	}
	apply(nurse, "I have nursed stroke patients for three years and want to specialise.", true)

	// The second employer: the same profile, a new statement, nothing else.
	b.visit(carer.Path())
	b.tabTo(`a[href="/jobs/`+itoa(carer.ID)+`/application"]`, 80)
	b.pressToLoad(kb.Enter)
	apply(carer, "Nights suit my family and I have cared for people with dementia.", false)

	ctx := context.Background()
	list, err := f.deps.Applications.ListForUser(ctx, jo.user.ID)
	must(t, err)
	if len(list) != 2 {
		t.Fatalf("%d applications, want 2", len(list))
	}
	byJob := map[int64]applications.Summary{}
	for _, a := range list {
		byJob[a.VacancyID] = a
	}
	shared, err := f.deps.Applications.GetForUser(ctx, jo.user.ID, byJob[nurse.ID].ID)
	must(t, err)
	notShared, err := f.deps.Applications.GetForUser(ctx, jo.user.ID, byJob[carer.ID].ID)
	must(t, err)
	if !shared.PassportShared || len(shared.Passport) != 1 || notShared.PassportShared || notShared.Passport != nil {
		t.Errorf("passport shared with the nurse role %v (%d items), with the carer role %v", shared.PassportShared,
			len(shared.Passport), notShared.PassportShared)
	}

	// Each employer's recruiter moves their own application on.
	recA := f.account(t, "rec.a.browser@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter).signIn()
	recB := f.account(t, "rec.b.browser@example.org", accounts.Jobseeker, &f.care, accounts.Recruiter).signIn()
	for _, step := range []struct {
		rec    *actor
		slug   string
		id     int64
		status string
	}{{recA, "fen-valley-trust", shared.ID, applications.Shortlisted}, {recB, "willow-care", notShared.ID, applications.Interview}} {
		r := step.rec.post("/recruiter/"+step.slug+"/applications/"+itoa(step.id)+"/status", url.Values{"status": {step.status}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("move %d to %s: status %d", step.id, step.status, r.status)
		}
	}

	b.visit("/account/applications")
	rows := b.text("tbody")
	for _, want := range []string{"Staff nurse, stroke unit", "Shortlisted", "Night carer", "Invited to interview"} {
		if !strings.Contains(rows, want) {
			t.Errorf("the jobseeker's applications do not show %q:\n%s", want, rows)
		}
	}
	b.tabTo(`a[href="/account/applications/`+itoa(shared.ID)+`"]`, 40)
	b.pressToLoad(kb.Enter)
	if history := b.text("main"); !strings.Contains(history, "Submitted") || !strings.Contains(history, "Shortlisted") {
		t.Errorf("the application's history lacks its steps:\n%s", history)
	}
}

// signInAs gives the browser the session of an actor signed in over HTTP,
// replacing whoever was signed in: quicker than the forms, and the way to
// be a partner admin without typing a two-factor code.
func (b *browser) signInAs(a *actor) {
	b.t.Helper()
	u, err := url.Parse(b.base)
	must(b.t, err)
	_, err = chromedp.Call(b.ctx, network.ClearBrowserCookies, cdp.Empty{})
	b.must(err, "clear cookies")
	for _, c := range a.client.Jar.Cookies(u) {
		_, err = chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: b.base,
			HTTPOnly: new(true)})
		b.must(err, "set cookie "+c.Name)
	}
}

// TestBrowser_ApplicationPagesPassAxeAndWorkByKeyboard visits the pages of
// applying with an incomplete profile and the recruiter's pages, and moves
// an application on by keyboard.
func TestBrowser_ApplicationPagesPassAxeAndWorkByKeyboard(t *testing.T) {
	f := setUp(t, "")
	job := f.portalJob(t, f.trust, "Occupational therapist")
	must(t, f.deps.Applications.SetQuestions(context.Background(), f.trust.ID, []string{"Do you hold a driving licence?"}))
	b := openBrowser(t, f.server.URL)

	newcomer := f.account(t, "new.browser@example.org", accounts.Jobseeker, nil, "").signIn()
	b.signInAs(newcomer)
	b.visit("/account/applications")
	b.visit("/jobs/" + itoa(job.ID) + "/application")
	if callout := b.text(".nhsuk-warning-callout"); !strings.Contains(callout, "a telephone number") {
		t.Errorf("the incomplete profile warning says %q", callout)
	}

	ada := f.account(t, "ada.browser@example.org", accounts.Jobseeker, nil, "").signIn()
	f.completeProfile(t, ada)
	f.givePassport(t, ada)
	b.signInAs(ada)
	b.visit("/jobs/" + itoa(job.ID) + "/application")
	b.tabTo("#statement", 60)
	b.press("Community rehabilitation is what I do best.")
	b.tabTo(`form[action="/jobs/`+itoa(job.ID)+`/application"] button`, 10)
	b.pressToLoadStatus(kb.Enter, 422) // the screening question is unanswered
	if summary := b.text(".nhsuk-error-summary"); !strings.Contains(summary, "Do you hold a driving licence?") {
		t.Fatalf("error summary %q", summary)
	}
	if got := eval[string](b, `document.querySelector('#statement').value`); got != "Community rehabilitation is what I do best." {
		t.Errorf("the statement was lost: %q", got)
	}
	qs, err := f.deps.Applications.Questions(context.Background(), f.trust.ID)
	must(t, err)
	b.tabTo("#"+applications.AnswerField(qs[0].ID), 80)
	b.press("Yes, a full licence")
	b.tabTo("#share_passport", 5)
	b.press(" ")
	b.tabTo(`form[action="/jobs/`+itoa(job.ID)+`/application"] button`, 10)
	b.pressToLoad(kb.Enter)
	list, err := f.deps.Applications.ListForUser(context.Background(), ada.user.ID)
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("%d applications", len(list))
	}
	id := list[0].ID
	b.visit("/account/applications/" + itoa(id))

	admin := f.account(t, "padmin.browser@example.org", accounts.Jobseeker, &f.trust, accounts.PartnerAdmin).signIn()
	b.signInAs(admin)
	base := "/recruiter/fen-valley-trust"
	b.visit(base + "/applications")
	b.visit(base + "/applications?vacancy=" + itoa(job.ID) + "&status=submitted")
	b.visit(base + "/questions")
	b.visit(base + "/vacancies/new")
	b.visit(base + "/vacancies/" + itoa(job.ID))
	b.visit(base + "/applications/" + itoa(id))
	if h := b.text("h1"); h != applications.CandidateRef(id) {
		t.Errorf("before shortlisting the heading is %q, want the candidate reference", h)
	}
	// A radio group is one stop for Tab; the arrow keys choose within it.
	b.tabTo(`input[name="status"]`, 40)
	b.press(kb.ArrowDown)
	if got := eval[string](b, `document.querySelector('input[name="status"]:checked').value`); got != applications.Shortlisted {
		t.Fatalf("the arrow key chose %q", got)
	}
	b.tabTo("#note", 5)
	b.press("Please bring your licence to the interview.")
	b.tabTo(`form[action$="/status"] button`, 5)
	b.pressToLoad(kb.Enter)
	if flash := b.text(".nhsuk-notification-banner"); !strings.Contains(flash, "now shortlisted") {
		t.Errorf("after moving the page says %q", flash)
	}
	if h := b.text("h1"); h != "ada.browser" {
		t.Errorf("after shortlisting the heading is %q, want the applicant's name", h)
	}
	if n := eval[int](b, `document.querySelectorAll('a[href^="/recruiter/fen-valley-trust/evidence/"]').length`); n != 1 {
		t.Errorf("%d evidence links after shortlisting, want 1", n)
	}
}
