// Package normalise turns a feed's Item, strings as the feed sent them,
// into a vacancies.Vacancy ready to save, or a Rejection saying why not in
// words a recruiter can act on. Every vacancy it returns passes
// vacancies.Validate, so the form, the API and the importer share one set
// of rules. It is pure: it must not touch the database, search or the
// network, and it never panics on any input (the fuzz tests hold it to that).
package normalise

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"html"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/regionalcareers/portal/internal/feeds/formats"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// Context is what normalising needs besides the item.
type Context struct {
	PartnerID int64
	Mapping   formats.Mapping
	Gazetteer *geo.Gazetteer // nil means geo.Default()
	Today     time.Time      // the run's date; its calendar day in London counts. Zero means now.
}

// Rejection is why an item was not imported. Field is the vacancy field at
// fault, named as vacancies.Validate names them ("closing_on", "pay",
// "location"...), or "item" for a problem the parser found.
type Rejection struct{ Field, Reason string }

// Error is the reason, a sentence such as `closing date "31/02/2026" is not a date`.
func (r *Rejection) Error() string { return r.Reason }

func reject(field, reason string) *Rejection { return &Rejection{Field: field, Reason: reason} }

// Limits the importer applies on top of vacancies.Validate.
const (
	maxTitle        = 200 // bytes, as Validate counts
	maxReference    = 120
	minDescription  = 20      // characters, as Validate requires
	maxDescription  = 300_000 // bytes of source: larger is a feed fault, not an advert
	defaultClosing  = 30      // days after the run when the feed gives no closing date
	furthestClosing = 365     // days ahead; further is a placeholder such as 2126
)

// Vacancy normalises one item. Its error is always a *Rejection.
func Vacancy(item formats.Item, c Context) (vacancies.Vacancy, error) {
	v, rejection := build(item, c)
	if rejection != nil {
		return vacancies.Vacancy{}, rejection
	}
	if errs := v.Validate(); len(errs) > 0 {
		field := slices.Sorted(maps.Keys(errs))[0] // the same field first on every run
		return vacancies.Vacancy{}, reject(field, errs[field])
	}
	return v, nil
}

func build(item formats.Item, c Context) (vacancies.Vacancy, *Rejection) {
	if problem := strings.TrimSpace(item.Problem); problem != "" {
		return vacancies.Vacancy{}, reject("item", problem)
	}
	today := c.Today
	if today.IsZero() {
		today = time.Now()
	}
	today = calendarDay(today)
	defaults := c.Mapping.Defaults

	v := vacancies.Vacancy{PartnerID: c.PartnerID, Status: vacancies.Live}
	var r *Rejection
	if v.ExternalRef, r = reference(item); r != nil {
		return v, r
	}
	if v.Title, r = title(item.Title); r != nil {
		return v, r
	}
	if v.ApplyURL, r = applyURL(item.URL); r != nil {
		return v, r
	}
	if v.ClosingOn, r = closingDate(item.ClosingDate, today, defaults["closing_days"]); r != nil {
		return v, r
	}
	v.PostedOn = postedDate(item.PostedDate, today, v.ClosingOn)
	if v.Description, r = description(item.Description); r != nil {
		return v, r
	}
	if v.StaffGroup, r = staffGroup(item, c.Mapping); r != nil {
		return v, r
	}
	if v.Pay, r = pay(item, defaults["pay"]); r != nil {
		return v, r
	}
	w := workingTerms(item, c.Mapping)
	v.Contract, v.Patterns, v.HoursPerWeek = w.contract, w.patterns, w.hours
	v.Locations, r = locations(item.Locations, defaults["location"], c.Gazetteer)
	return v, r
}

// reference is the partner's reference, else the apply URL (it identifies
// the posting). One longer than the column allows becomes "sha1:<hex>" of
// itself, the same on every run.
func reference(item formats.Item) (string, *Rejection) {
	ref := strings.TrimSpace(item.Reference)
	if ref == "" {
		ref = strings.TrimSpace(item.URL)
	}
	if ref == "" {
		return "", reject("external_ref", "missing reference")
	}
	if len(ref) > maxReference || !utf8.ValidString(ref) {
		sum := sha1.Sum([]byte(ref))
		ref = "sha1:" + hex.EncodeToString(sum[:])
	}
	return ref, nil
}

// title decodes entities once, drops any tags, collapses whitespace and
// shortens at a word to 200 bytes ending "…".
func title(raw string) (string, *Rejection) {
	t := raw
	if htmlTag.MatchString(t) {
		t = stripTags.Sanitize(t) // escapes what is left, so unescaping below decodes once
	}
	t = truncateAtWord(collapseSpace(html.UnescapeString(t)), maxTitle)
	if t == "" {
		return "", reject("title", "missing title")
	}
	return t, nil
}

func applyURL(raw string) (string, *Rejection) {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(s, " \t\n\r") {
		return "", reject("apply_url", "missing or invalid apply link")
	}
	return s, nil
}

// closingDate reads the closing date. A missing one, or one more than a
// year ahead (a placeholder), becomes the run's date plus the feed's
// Defaults["closing_days"] (1 to 365; else 30). A passed one rejects.
func closingDate(text string, today time.Time, closingDays string) (time.Time, *Rejection) {
	days, err := strconv.Atoi(strings.TrimSpace(closingDays))
	if err != nil || days < 1 || days > furthestClosing {
		days = defaultClosing
	}
	fallback := today.AddDate(0, 0, days)
	if strings.TrimSpace(text) == "" {
		return fallback, nil
	}
	d, err := Date(text)
	if err != nil {
		return time.Time{}, reject("closing_on", fmt.Sprintf("closing date %q is not a date", truncateAtWord(collapseSpace(text), 60)))
	}
	switch {
	case d.Before(today):
		return time.Time{}, reject("closing_on", fmt.Sprintf("closing date %s has passed", d.Format(time.DateOnly)))
	case d.After(today.AddDate(0, 0, furthestClosing)):
		return fallback, nil
	}
	return d, nil
}

// postedDate is the feed's posted date, else the run's date; never after
// the closing date.
func postedDate(text string, today, closing time.Time) time.Time {
	d, err := Date(text)
	if err != nil {
		d = today
	}
	if d.After(closing) {
		return closing
	}
	return d
}

func description(source string) (string, *Rejection) {
	if len(source) > maxDescription {
		return "", reject("description", fmt.Sprintf("description is too long (%d characters)", utf8.RuneCountInString(source)))
	}
	d := Description(source)
	if n := utf8.RuneCountInString(d); n < minDescription {
		return "", reject("description", fmt.Sprintf("description is too short (%d characters)", n))
	}
	return d, nil
}

func staffGroup(item formats.Item, m formats.Mapping) (string, *Rejection) {
	if slug, ok := StaffGroup(item.Category, item.Title, m.StaffGroups); ok {
		return slug, nil
	}
	if slug, ok := term(vacancies.StaffGroups, m.Defaults["staff_group"]); ok {
		return slug, nil
	}
	return "", reject("staff_group", fmt.Sprintf("could not tell the staff group from category %q or the title",
		truncateAtWord(collapseSpace(item.Category), 60)))
}

// pay is Pay, falling back to the feed's Defaults["pay"] words ("Competitive")
// when the item says nothing about pay. Figures in another currency are
// kept as words only: the portal compares pounds.
func pay(item formats.Item, defaultPay string) (vacancies.Pay, *Rejection) {
	var p vacancies.Pay
	if currency := strings.ToUpper(strings.TrimSpace(item.SalaryCurrency)); currency == "" || currency == "GBP" || currency == "£" {
		p = Pay(item.Salary, item.SalaryMin, item.SalaryMax, item.SalaryUnit, item.Band)
	} else {
		p = vacancies.Pay{Band: bandOf(item.Band, true), Text: payText(item.Salary)}
		if low, high, ok := statedFigures(item.SalaryMin, item.SalaryMax); ok && p.Text == "" {
			p.Text = currency + " " + strings.TrimPrefix(describeFigures(low, high, item.SalaryUnit), "£")
			p.Text = strings.ReplaceAll(p.Text, " to £", " to ")
		}
	}
	if p.Band == "" && p.Min == 0 && strings.TrimSpace(p.Text) == "" {
		p.Text = payText(defaultPay)
	}
	if p.Band == "" && p.Min == 0 && p.Text == "" {
		return p, reject("pay", "missing pay: the feed gave no salary or band")
	}
	return p, nil
}
