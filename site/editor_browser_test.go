package site_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/pages"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// TestBrowser_EditorSchedulesACampaignWithLiveJobs: an editor writes a
// campaign page with a live vacancy block, previews it, schedules it, and
// it appears at its time; keyboard only, axe-core on every page.
func TestBrowser_EditorSchedulesACampaignWithLiveJobs(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.care, vt.Title("Community Carer"), vt.At(vt.Wisbech), vt.Group("social-care")))
	ed := f.account(t, "comms@example.org", accounts.Editor, nil, "")
	b := openBrowser(t, f.server.URL)

	b.visit("/account/sign-in")
	b.tabTo("#email", 20)
	b.press(ed.user.Email)
	b.tabTo("#password", 2)
	b.press(testPassword)
	b.pressToLoad(kb.Enter)
	if got := b.location().Path; got != "/editor" {
		t.Fatalf("signed in to %s, want /editor", got)
	}
	b.tabTo(`a[href="/editor/pages/new?kind=campaign"]`, 30)
	b.pressToLoad(kb.Enter)
	if !eval[bool](b, `document.querySelector('input[name=kind][value=campaign]').checked`) {
		t.Fatal("the new campaign page form does not start as a campaign")
	}
	b.tabTo("#slug", 20)
	b.press("fen-carers")
	b.tabTo("#title", 2)
	b.press("Carers wanted in the Fens")
	b.tabTo("#summary", 2)
	b.press("Caring jobs close to home, across Fenland.")
	b.tabTo("#body", 2)
	b.press("Big skies and short commutes.\n\n```vacancies\nheading: Caring jobs now\nq: carer\nplace: Wisbech\nradius: 10\n```\n")
	b.tabTo(`button[value="preview"]`, 40)
	b.pressToLoad(kb.Enter)
	if got := b.text(".app-preview .app-live-jobs"); !strings.Contains(got, "Caring jobs now") || !strings.Contains(got, "Community Carer") {
		t.Fatalf("the preview's live block reads %q", got)
	}

	when := time.Now().AddDate(0, 0, 3)
	b.tabTo("#publish_at-day", 80)
	b.press(itoaInt(when.Day()))
	b.tabTo("#publish_at-month", 2)
	b.press(itoaInt(int(when.Month())))
	b.tabTo("#publish_at-year", 2)
	b.press(itoaInt(when.Year()))
	b.tabTo("#publish_time", 2)
	b.press("08:00")
	b.tabTo(`button[value="schedule"]`, 3)
	b.pressToLoad(kb.Enter)
	if flash := b.text(".nhsuk-notification-banner"); !strings.Contains(flash, "scheduled") {
		t.Errorf("after scheduling the page says %q", flash)
	}
	b.visitStatus("/campaigns/fen-carers", 404)

	// Its time comes: the minute job publishes it.
	if _, err := f.deps.Pages.PublishDue(context.Background(), when.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	b.visit("/campaigns/fen-carers")
	if h := b.text("h1"); h != "Carers wanted in the Fens" {
		t.Errorf("campaign heading %q", h)
	}
	b.tabTo(`.app-live-jobs a[href*="campaign=fen-carers"]`, 40)
	b.pressToLoad(kb.Enter)
	if h := b.text("h1"); h != "Community Carer" {
		t.Errorf("followed the campaign's job link to %q", h)
	}
}

// TestBrowser_ContentPagesPassAxe opens every shipped content page and
// the hubs and site search: all must pass axe-core.
func TestBrowser_ContentPagesPassAxe(t *testing.T) {
	f := setUp(t, "")
	f.save(t, vt.New(f.trust, vt.Title("Staff Nurse"), vt.At(vt.Cambridge), vt.Group("nursing-midwifery")))
	f.drainOutbox(t)
	b := openBrowser(t, f.server.URL)
	live, err := f.deps.Pages.ListLive(context.Background(), "", 200)
	must(t, err)
	if len(live) < 19 {
		t.Fatalf("only %d shipped pages are live", len(live))
	}
	kinds := map[pages.Kind]int{}
	for _, p := range live {
		kinds[p.Kind]++
		b.visit(p.Path())
	}
	if kinds[pages.AreaGuide] < 6 || kinds[pages.Pathway] < 6 || kinds[pages.Campaign] < 1 {
		t.Errorf("shipped pages by kind: %v", kinds)
	}
	for _, path := range []string{"/living-here", "/careers", "/stories", "/search?q=nursing+associate"} {
		b.visit(path)
	}
}
