package site_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/regionalcareers/portal/internal/accounts"
)

// TestBrowser_RecruiterPostsAJobByKeyboard: a recruiter signs in, posts a
// job with a deliberate mistake, fixes it, publishes, and the job is in
// public search; keyboard only, every page checked by axe-core.
func TestBrowser_RecruiterPostsAJobByKeyboard(t *testing.T) {
	f := setUp(t, "")
	rec := f.account(t, "rita@example.org", accounts.Jobseeker, &f.trust, accounts.Recruiter)
	b := openBrowser(t, f.server.URL)

	b.visit("/account/sign-in")
	b.tabTo("#email", 20)
	b.press(rec.user.Email)
	b.tabTo("#password", 2)
	b.press(testPassword)
	b.pressToLoad(kb.Enter)
	if got := b.location().Path; got != "/recruiter/fen-valley-trust" {
		t.Fatalf("signed in to %s, want the partner's dashboard", got)
	}

	b.tabTo(`a[href="/recruiter/fen-valley-trust/vacancies/new"]`, 30)
	b.pressToLoad(kb.Enter)
	// The mistake: no job title.
	b.tabTo("#staff_group", 20)
	b.press("Nursing")
	b.tabTo("#locations", 2)
	b.press("Wisbech")
	b.tabTo("#band", 2)
	b.press("Band 5")
	b.tabTo("#contract", 10)
	b.press("Permanent")
	b.tabTo("#patterns", 2)
	b.press(" ")
	b.tabTo("#description", 20)
	b.press("Join our friendly district nursing team covering Wisbech and the villages around it.")
	if got := eval[string](b, `document.querySelector('#staff_group').value + ' ' + document.querySelector('#band').value + ' ' + document.querySelector('#contract').value`); got != "nursing-midwifery 5 permanent" {
		t.Fatalf("the selects read %q after typing", got)
	}
	b.tabTo(`button[value="publish"]`, 20)
	b.pressToLoadStatus(kb.Enter, 422)
	if summary := b.text(".nhsuk-error-summary"); !strings.Contains(summary, "Enter a job title") {
		t.Fatalf("error summary %q", summary)
	}
	if got := eval[string](b, `document.querySelector('#locations').value`); got != "Wisbech" {
		t.Errorf("the locations typed were lost: %q", got)
	}

	// The summary links to the box to fix; a keyboard user tabs there. (Enter on the link is not used: chromedp
	// sends its key press as separate events, and once NHS.UK's script has moved focus to the box the
	// character event would submit the form.)
	if n := eval[int](b, `document.querySelectorAll('.nhsuk-error-summary a[href="#title"]').length`); n != 1 {
		t.Errorf("%d error summary links to the title box, want 1", n)
	}
	b.tabTo("#title", 60)
	b.press("District Nurse")
	if got := eval[string](b, `document.querySelector('#title').value`); got != "District Nurse" {
		t.Fatalf("title box holds %q after typing", got)
	}
	b.tabTo(`button[value="publish"]`, 40)
	b.pressToLoad(kb.Enter)
	if flash := b.text(".nhsuk-notification-banner"); !strings.Contains(flash, "The job is live") {
		t.Errorf("after publishing the page says %q", flash)
	}

	// The outbox carries it to search; a jobseeker finds it.
	f.drainOutbox(t)
	b.visit("/")
	b.tabTo("#q", 30)
	b.press("district nurse")
	b.pressToLoad(kb.Enter)
	if h := b.text("h1"); h != "1 job for “district nurse”" {
		t.Errorf("search heading %q", h)
	}
	b.tabTo(".app-result a", 80)
	b.pressToLoad(kb.Enter)
	if h := b.text("h1"); h != "District Nurse" {
		t.Errorf("vacancy page heading %q", h)
	}
}
