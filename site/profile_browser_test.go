package site_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/profiles"
)

// TestBrowser_ProfileAndPassportPagesByKeyboard: a jobseeker signs in,
// fixes a mistake on their profile by keyboard, and every profile,
// passport and data page (filled in, empty and with errors) passes axe-core.
func TestBrowser_ProfileAndPassportPagesByKeyboard(t *testing.T) {
	f := setUp(t, "")
	ctx := context.Background()
	jo := f.account(t, "jo@example.org", accounts.Jobseeker, nil, "")
	st := f.deps.Profiles
	must(t, st.Update(ctx, jo.user.ID, func(p *profiles.Profile) error {
		p.WorkHistory = []profiles.Job{{Employer: "Fen Valley Trust", Role: "Staff nurse", From: "2019-04"}}
		p.Education = []profiles.Qualification{{Institution: "Anglia Ruskin University", Qualification: "BSc Nursing", Year: "2019"}}
		p.References = []profiles.Referee{{Name: "Sam Ward", Relationship: "Ward manager", Email: "sam@example.org"}}
		return nil
	}))
	today := time.Now()
	for _, item := range []profiles.PassportItem{
		{Kind: profiles.Training, Title: "Basic life support", ExpiresOn: today.AddDate(0, 0, -3)},
		{Kind: profiles.Training, Title: "Fire safety", ExpiresOn: today.AddDate(0, 0, 20)},
		{Kind: profiles.DBS, Title: "Enhanced with barred lists", Reference: "001234567890", OnUpdateService: true},
	} {
		id, err := st.AddItem(ctx, jo.user.ID, item)
		must(t, err)
		if item.Kind == profiles.DBS {
			_, err = st.AddEvidence(ctx, jo.user.ID, id, "dbs.pdf", profilePDF())
			must(t, err)
		}
	}
	passport, err := st.Passport(ctx, jo.user.ID)
	must(t, err)

	b := openBrowser(t, f.server.URL)
	b.visit("/account/sign-in")
	b.tabTo("#email", 20)
	b.press(jo.user.Email)
	b.tabTo("#password", 2)
	b.press(testPassword)
	b.pressToLoad(kb.Enter)

	b.tabTo(`a[href="/account/profile"]`, 40)
	b.pressToLoad(kb.Enter)
	b.tabTo("#phone", 20)
	b.press("call me")
	b.tabTo(`button[type="submit"]`, 40)
	b.pressToLoadStatus(kb.Enter, 422)
	if summary := b.text(".nhsuk-error-summary"); !strings.Contains(summary, "Enter a telephone number") {
		t.Fatalf("error summary %q", summary)
	}
	b.tabTo("#phone", 20)
	b.press(strings.Repeat(kb.Backspace, len("call me")) + "07700 900982")
	b.tabTo(`button[type="submit"]`, 40)
	b.pressToLoad(kb.Enter)
	if got := b.text(".nhsuk-notification-banner"); !strings.Contains(got, "Your profile is saved") {
		t.Errorf("after saving: %q", got)
	}

	for _, path := range []string{"/account", "/account/profile/jobs/new", "/account/profile/jobs/1", "/account/profile/education/new",
		"/account/profile/references/1", "/account/passport", "/account/passport/new?kind=dbs", "/account/passport/new?kind=occupational-health",
		"/account/delete", "/account/deleted"} {
		b.visit(path)
	}
	for _, item := range passport {
		b.visit("/account/passport/" + itoa(item.ID))
	}
	if n := eval[int](b, `document.querySelectorAll('.nhsuk-tag--red, .nhsuk-tag--orange').length`); n != 0 {
		t.Errorf("the DBS check, which has no renewal date, shows %d expiry tags", n)
	}
	b.visit("/account/passport")
	if got := b.text(".nhsuk-tag--red"); got != "Expired" {
		t.Errorf("red tag %q", got)
	}
	if got := b.text(".nhsuk-tag--orange"); got != "Expires soon" {
		t.Errorf("orange tag %q", got)
	}
}
