package site_test

// Browser tests: real headless Chromium against the in-process site, driven
// by the keyboard only. Every page visited must pass axe-core (WCAG 2.2 AA
// and best practice) with no console errors or CSP violations; see
// chrome_browser_test.go. Set PORTAL_SCREENSHOTS=/some/dir to keep a
// screenshot of every checked page.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
)

// seedNursing saves 45 nursing roles and 8 care-home nurse roles in
// Cambridge (53 hits for "nurse": three pages, and still three after the
// staff group filter), plus a porter in Cambridge and a nurse in Leeds that
// a search for nurses near Cambridge must not find.
func seedNursing(t *testing.T, f *fixture) []vacancies.Vacancy {
	t.Helper()
	var list []vacancies.Vacancy
	for i := range 45 {
		list = append(list, vt.New(f.trust, vt.Title(fmt.Sprintf("Staff Nurse, Ward %d", i+1)),
			vt.Group("nursing-midwifery"), vt.At(vt.Cambridge)))
	}
	for i := range 8 {
		list = append(list, vt.New(f.care, vt.Title(fmt.Sprintf("Registered Nurse, Care Home %d", i+1)),
			vt.Group("social-care"), vt.At(vt.Cambridge)))
	}
	list = append(list,
		vt.New(f.trust, vt.Title("Porter"), vt.Group("estates-ancillary"), vt.At(vt.Cambridge)),
		vt.New(f.trust, vt.Title("Staff Nurse, Leeds"), vt.Group("nursing-midwifery"), vt.At(vt.Leeds)),
	)
	return f.save(t, list...)
}

func TestBrowser_KeyboardSearchFilterPageOpenAndBack(t *testing.T) {
	f := setUp(t, "")
	seedNursing(t, f)
	b := openBrowser(t, f.server.URL)

	// (a) Search from the home page.
	b.visit("/")
	b.tabTo("#q", 15)
	b.press("nurse")
	b.tabTo("#location", 3)
	b.press("Cambridge")
	b.pressToLoad(kb.Enter)
	u := b.location()
	if u.Path != "/jobs" || u.Query().Get("q") != "nurse" || u.Query().Get("location") != "Cambridge" {
		t.Fatalf("search landed on %s, want /jobs?q=nurse&location=Cambridge", u)
	}
	if h := b.text("h1"); h != "53 jobs for “nurse” within 10 miles of Cambridge" {
		t.Errorf("results heading %q", h)
	}
	if n := eval[int](b, `document.querySelectorAll('.app-result').length`); n != 20 {
		t.Errorf("%d results on the first page, want 20", n)
	}

	// (b) Tick a facet with Space, apply with Enter.
	facet := `.app-facets input[name="staff_group"][value="nursing-midwifery"]`
	b.tabTo(facet, 20)
	b.press(" ")
	if !eval[bool](b, `document.activeElement.checked`) {
		t.Fatal("Space did not tick the Nursing and midwifery checkbox")
	}
	b.tabTo(".app-facets button[type=submit]", 60)
	b.pressToLoad(kb.Enter)
	u = b.location()
	if q := u.Query(); q.Get("staff_group") != "nursing-midwifery" || q.Get("q") != "nurse" || q.Get("location") != "Cambridge" {
		t.Errorf("after applying the filter the URL is %s, want q, location and staff_group in it", u)
	}
	if h := b.text("h1"); h != "45 jobs for “nurse” within 10 miles of Cambridge" {
		t.Errorf("filtered heading %q, want 45 jobs", h)
	}
	if !eval[bool](b, `document.querySelector('`+facet+`').checked`) {
		t.Error("the chosen filter is not ticked on the filtered page")
	}

	// (c) Page 2 through the pagination link.
	b.tabTo(`.nhsuk-pagination a[aria-label="Page 2"]`, 120)
	b.pressToLoad(kb.Enter)
	page2 := b.location()
	if q := page2.Query(); q.Get("page") != "2" || q.Get("staff_group") != "nursing-midwifery" || q.Get("q") != "nurse" {
		t.Errorf("page 2 is %s, want page=2 with the search and filter kept", page2)
	}
	if s := b.text("#results-count"); s != "Showing 21 to 40 of 45" {
		t.Errorf("page 2 says %q", s)
	}

	// (d) Open the first vacancy on the page.
	first := `.app-results .app-result__title a`
	title := b.text(first)
	b.tabTo(first, 120)
	b.pressToLoad(kb.Enter)
	if !strings.HasPrefix(b.location().Path, "/jobs/") {
		t.Fatalf("Enter on a result went to %s, want a vacancy page", b.location())
	}
	if h := b.text("h1"); h != title {
		t.Errorf("vacancy heading %q, want %q", h, title)
	}
	if got := b.text(".nhsuk-summary-list"); !strings.Contains(got, "Nursing and midwifery") || !strings.Contains(got, "Cambridge") {
		t.Errorf("vacancy details lack the staff group or place:\n%s", got)
	}

	// (e) Back to the same results.
	b.back()
	if got := b.location(); got.String() != page2.String() {
		t.Errorf("back went to %s, want %s", got, page2)
	}
	if s := b.text("#results-count"); s != "Showing 21 to 40 of 45" {
		t.Errorf("after going back the page says %q", s)
	}
	if !eval[bool](b, `document.querySelector('`+facet+`').checked && document.querySelector('#q').value === 'nurse'`) {
		t.Error("after going back the filter or the keyword is lost")
	}
}

// At 400% zoom a 1280 px window is 320 CSS px wide: nothing may need
// scrolling sideways (WCAG 1.4.10 Reflow).
func TestBrowser_PagesReflowAt320Pixels(t *testing.T) {
	f := setUp(t, "")
	list := seedNursing(t, f)
	v := f.save(t, vt.New(f.trust, vt.Title("Advanced Clinical Practitioner in Emergency and Urgent Care (Trainee)"),
		vt.Group("nursing-midwifery"), vt.At(vt.Cambridge, vt.Peterborough, vt.Wisbech), func(v *vacancies.Vacancy) {
			v.Pay = vacancies.Pay{Band: "8a"}
			v.PassportAccepted = true
			v.Description = "## About the role\n\nA long word that must wrap: " + strings.Repeat("Pneumonoultramicroscopic", 3) +
				"\n\n- Work across three sites\n- Rotational shifts"
		}))[0]
	closed := f.save(t, vt.New(f.trust, vt.Status(vacancies.Closed), vt.Closing(-2)))[0]
	b := openBrowser(t, f.server.URL)
	b.must(chromedp.Do(b.ctx, chromedp.EmulateViewport(320, 640)), "set a 320 px viewport")
	for _, path := range []string{"/", "/jobs", "/jobs?q=nurse&location=Cambridge&staff_group=nursing-midwifery", v.Path(),
		list[0].Path(), closed.Path(), "/employers", "/employers/fen-valley-trust", "/about-our-data", "/no-such-page"} {
		status := int64(200)
		if path == "/no-such-page" {
			status = 404
		}
		b.visitStatus(path, status)
		overflow := eval[[]string](b, overflowing)
		if len(overflow) > 0 {
			t.Errorf("%s scrolls sideways at 320 px:\n\t%s", path, strings.Join(overflow, "\n\t"))
		}
	}
}

// overflowing lists what sticks out past the right edge of the viewport:
// the elements, and the text that does not wrap inside its element.
const overflowing = `(() => {
	const html = document.documentElement, width = html.clientWidth;
	if (html.scrollWidth <= width) return [];
	const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
		(typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\s+/).join('.') : '');
	const found = [...document.querySelectorAll('body *')]
		.filter(e => e.getBoundingClientRect().right > width + 1)
		.map(e => name(e) + ' reaches ' + Math.round(e.getBoundingClientRect().right) + 'px');
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const r = document.createRange();
		r.selectNodeContents(n);
		const right = r.getBoundingClientRect().right;
		if (right > width + 1) found.push('text "' + n.textContent.trim().slice(0, 40) + '" in ' + name(n.parentElement) + ' reaches ' + Math.round(right) + 'px');
	}
	return found.slice(0, 8).concat(['scrollWidth ' + html.scrollWidth + 'px > clientWidth ' + width + 'px']);
})()`

// TestBrowser_SmallScreensPutResultsBeforeFilters: at 320 px the filters
// fold behind a button (with JavaScript) so the first result is on the
// first screen, and the button opens them by keyboard.
func TestBrowser_SmallScreensPutResultsBeforeFilters(t *testing.T) {
	f := setUp(t, "")
	seedNursing(t, f)
	b := openBrowser(t, f.server.URL)
	b.must(chromedp.Do(b.ctx, chromedp.EmulateViewport(320, 640)), "set a 320 px viewport")
	b.visit("/jobs?q=nurse&staff_group=nursing-midwifery")
	if top := eval[float64](b, `document.querySelector('.app-result').getBoundingClientRect().top`); top > 1200 {
		t.Errorf("the first result starts %.0f px down at 320 px", top)
	}
	if shown := eval[bool](b, `getComputedStyle(document.querySelector('#filters')).display !== 'none'`); shown {
		t.Error("the filters are open before anyone asked")
	}
	if got := b.text(".app-filters-toggle"); got != "Filter jobs (1 chosen)" {
		t.Errorf("the button reads %q", got)
	}
	b.tabTo(".app-filters-toggle", 30)
	b.press(kb.Enter)
	if !eval[bool](b, `getComputedStyle(document.querySelector('#filters')).display !== 'none' && document.querySelector('.app-filters-toggle').getAttribute('aria-expanded') === 'true'`) {
		t.Fatal("Enter on the button did not open the filters")
	}
	b.tabTo(`#filters input[name="staff_group"]`, 10)
	b.checkPage()
	for _, path := range []string{"/living-here/fenland", "/careers/nursing", "/account/sign-in", "/search?q=nurse"} {
		b.visit(path)
		if overflow := eval[[]string](b, overflowing); len(overflow) > 0 {
			t.Errorf("%s scrolls sideways at 320 px:\n\t%s", path, strings.Join(overflow, "\n\t"))
		}
	}
}
