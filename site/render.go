package site

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/markdown"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/static"
)

//go:embed templates
var templateFS embed.FS

// Base is what every page's view model embeds: the layout reads it.
type Base struct {
	Title        string // page title, before the site name
	Description  string // meta description
	Canonical    string // absolute canonical URL
	Section      string // which header link is current: "jobs", "employers", ""
	NoIndex      bool   // keep the page out of search engines
	CSRFToken    string
	AssetVersion string
	SiteName     string
	BaseURL      string
	Query        string // the keyword box in the header keeps the last search
	JSONLD       template.JS
	OpenGraph    bool
	User         *accounts.User // the signed-in user, nil for visitors
	Flash        string         // a one-time success message
}

// pageTemplates are the page templates; each is rendered inside layout.html with
// every partial available. Start-up fails if one is missing or broken.
var pageTemplates = slices.Concat([]string{"home", "jobs", "vacancy", "employers", "employer", "error", "content", "notice",
	"sign-in", "sign-up", "two-factor-challenge", "reset-request", "reset-password",
	"account", "account-name", "account-password", "two-factor", "two-factor-set-up", "recovery-codes", "invitation",
	"recruiter-home", "recruiter-dashboard", "recruiter-vacancy", "recruiter-vacancy-form", "recruiter-profile", "recruiter-team",
	"editor-home", "editor-page", "editor-history", "editor-revision", "editor-media", "editor-campaigns", "hub", "search"}, adminPages, alertsPages, profilePages, applicationPages)

type renderer struct {
	pages map[string]*template.Template
}

func newRenderer() (*renderer, error) {
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		return nil, err
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(sub, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout and partials: %w", err)
	}
	r := &renderer{pages: map[string]*template.Template{}}
	for _, name := range pageTemplates {
		t, err := template.Must(base.Clone()).ParseFS(sub, "pages/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("parse page %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// render executes a page into a buffer first, so a template error becomes
// a clean 500 instead of half a page.
func (r *renderer) render(c echo.Context, status int, page string, data any) error {
	t, ok := r.pages[page]
	if !ok {
		return fmt.Errorf("no page template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	return c.HTMLBlob(status, buf.Bytes())
}

// partial renders one partial on its own, for HTML put together in Go
// (the live blocks inside content pages).
func (r *renderer) partial(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := r.pages["content"].ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("render partial %s: %w", name, err)
	}
	return template.HTML(buf.String()), nil
}

var funcs = template.FuncMap{
	"static": static.URL,
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2 January 2006")
	},
	"isoDate": func(t time.Time) string { return t.Format(time.DateOnly) },
	"longDate": func(iso string) string {
		t, err := time.Parse(time.DateOnly, iso)
		if err != nil {
			return iso
		}
		return t.Format("2 January 2006")
	},
	"navItem":       navItem,
	"contractLabel": vacancies.Contracts.Label,
	"patternLabels": func(slugs []string) string {
		labels := make([]string, len(slugs))
		for i, s := range slugs {
			labels[i] = strings.ToLower(vacancies.Patterns.Label(s))
		}
		return strings.Join(labels, ", ")
	},
	"plural":    plural,
	"number":    number,
	"miles":     func(m float64) string { return strings.TrimSuffix(fmt.Sprintf("%.1f", m), ".0") },
	"input":     inputFunc,
	"choice":    choiceFunc,
	"dateInput": dateFunc,
	"dateParts": func() []datePart { return dateParts },
	"list":      func(opts ...option) []option { return opts },
	"markdown":  markdown.ToHTML,
	"lower":     strings.ToLower,
	"opt":       func(value, label string) option { return option{Value: value, Label: label} },
	"dateTime": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(ukTime).Format("2 January 2006 at 15:04")
	},
}

// ukTime is the clock people in the region read.
var ukTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

type navLink struct {
	URL, Label string
	Current    bool
}

// navItem builds a header link, marked current when the page's section is
// the link's.
func navItem(pageSection, section, url, label string) navLink {
	return navLink{URL: url, Label: label, Current: pageSection == section}
}

// plural picks the word for n: plural 1 "job" "jobs" -> "job".
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// number writes n with thousands separators: 12345 -> "12,345".
func number(n int) string { return vacancies.Thousands(int64(n)) }
