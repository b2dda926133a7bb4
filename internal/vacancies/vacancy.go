// Package vacancies owns vacancies: their rules, validation and SQL. Every
// write that changes what search shows enqueues a sync job through the
// outbox in the same transaction. It must not call Meilisearch or know HTTP.
package vacancies

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/regionalcareers/portal/internal/partners"
)

// Vacancy is one advertised role.
type Vacancy struct {
	ID               int64
	PartnerID        int64
	Partner          partners.Partner // filled on reads
	ExternalRef      string
	Title            string
	Description      string // markdown
	StaffGroup       string
	Pay              Pay
	Contract         string
	Patterns         []string
	HoursPerWeek     float64
	Locations        []Location
	PostedOn         time.Time // a date, UTC midnight
	ClosingOn        time.Time // a date, UTC midnight; the last day to apply
	Status           string
	PublishAt        time.Time // when a scheduled vacancy goes live; zero unless Status is Scheduled
	ApplyURL         string    // the employer's application page; may be empty when ApplyMethod is ApplyPortal
	ApplyMethod      string    // ApplyExternal or ApplyPortal; "" reads as ApplyExternal
	PassportAccepted bool
	CreatedBy        int64 // the user who wrote it in the console; 0 for feeds, imports and removed users
	UpdatedBy        int64 // the user who last changed it in the console; 0 as for CreatedBy
	FromFeed         bool  // listed by a partner's feed: read-only in the console; filled on reads
	UpdatedAt        time.Time
}

// How people apply: on the employer's own site, or on this portal with
// their profile. Feeds always give ApplyExternal.
const (
	ApplyExternal = "external"
	ApplyPortal   = "portal"
)

// AppliesOnPortal reports whether people apply for v here, with their
// profile, rather than on the employer's site.
func (v Vacancy) AppliesOnPortal() bool { return v.ApplyMethod == ApplyPortal }

// Pay is an Agenda for Change band (Min/Max then come from the pay scale
// unless stated), a stated amount per year or per hour, or only the
// employer's words for it ("Negotiable", "Competitive").
type Pay struct {
	Band   string  // "" when not on Agenda for Change
	Min    float64 // 0 when not stated
	Max    float64 // 0 when a single figure
	Period string  // "year" or "hour"; "" when only a band is given
	Text   string  // what the employer wrote, kept for display
}

// Location is one place the role is based.
type Location struct {
	Name     string
	Postcode string // outward code or full postcode, upper case; may be empty
	Lat, Lon float64
}

// Effective fills Min/Max/Period from the Agenda for Change scale when only
// a band is given.
func (p Pay) Effective() Pay {
	if p.Min == 0 && p.Band != "" {
		if r, ok := AfCPayScale[p.Band]; ok {
			p.Min, p.Max, p.Period = r.Min, r.Max, "year"
		}
	}
	return p
}

// AnnualFTE is the bottom of the pay range as a full-time annual figure,
// counting hourly pay at FullTimeHours a week; 0 when pay is not stated.
func (p Pay) AnnualFTE() float64 {
	e := p.Effective()
	switch e.Period {
	case "year":
		return e.Min
	case "hour":
		return math.Round(e.Min * FullTimeHours * 52.143)
	}
	return 0
}

// String renders pay for people: "Band 5: £29,970 to £36,483 a year".
func (p Pay) String() string {
	e := p.Effective()
	amount := ""
	if e.Min > 0 {
		amount = money(e.Min, e.Period)
		if e.Max > e.Min {
			amount += " to " + money(e.Max, e.Period)
		}
		amount += map[string]string{"year": " a year", "hour": " an hour"}[e.Period]
	}
	switch {
	case p.Band != "" && amount != "":
		return "Band " + p.Band + ": " + amount
	case p.Band != "":
		return "Band " + p.Band
	case amount != "":
		return amount
	case p.Text != "":
		return p.Text
	}
	return "Not stated"
}

func money(v float64, period string) string {
	if period == "hour" {
		return fmt.Sprintf("£%.2f", v)
	}
	return Pounds(v)
}

// Pounds writes an amount in whole pounds as people read it: "£29,970".
func Pounds(v float64) string { return "£" + Thousands(int64(math.Round(v))) }

// Thousands writes n with commas between groups of three digits: 12,345.
func Thousands(n int64) string {
	digits := strconv.FormatInt(n, 10)
	start := 0
	if n < 0 {
		start = 1
	}
	var b strings.Builder
	b.WriteString(digits[:start])
	for i := start; i < len(digits); i++ {
		if i > start && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// Slug is the URL slug of the title: "Staff Nurse – Ward 5" -> "staff-nurse-ward-5".
func (v Vacancy) Slug() string { return partners.Slugify(v.Title) }

// Path is the vacancy page's path.
func (v Vacancy) Path() string { return fmt.Sprintf("/jobs/%d/%s", v.ID, v.Slug()) }

// Public reports whether the vacancy's own page may be shown to anyone:
// published at some point (live or closed) and its partner active. Drafts
// and scheduled roles are seen only in the console.
func (v Vacancy) Public() bool {
	return (v.Status == Live || v.Status == Closed) && v.Partner.Active
}

// Open reports whether a jobseeker can still apply on day today.
func (v Vacancy) Open(today time.Time) bool {
	return v.Status == Live && !v.ClosingOn.Before(Date(today))
}

// Date truncates t to its calendar date in UTC.
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

const msgClosingBeforePosted = "Closing date must be on or after the date posted"

var postcodePattern = regexp.MustCompile(`^[A-Z]{1,2}[0-9][0-9A-Z]?( [0-9][A-Z]{2})?$`)

// Validate returns a message per field that is wrong, written for the
// person who typed it. The form, the API and the feed importer all use it.
func (v Vacancy) Validate() map[string]string {
	errs := map[string]string{}
	if v.PartnerID == 0 {
		errs["partner"] = "Choose the employer"
	}
	if strings.TrimSpace(v.ExternalRef) == "" || len(v.ExternalRef) > 120 {
		errs["external_ref"] = "Enter a reference of up to 120 characters"
	}
	if n := len(strings.TrimSpace(v.Title)); n < 3 || n > 200 {
		errs["title"] = "Enter a job title of 3 to 200 characters"
	}
	if len(strings.TrimSpace(v.Description)) < 20 {
		errs["description"] = "Enter a description of at least 20 characters"
	}
	if !StaffGroups.Has(v.StaffGroup) {
		errs["staff_group"] = "Choose a staff group"
	}
	if msg := v.Pay.validate(); msg != "" {
		errs["pay"] = msg
	}
	if !Contracts.Has(v.Contract) {
		errs["contract"] = "Choose a contract type"
	}
	if len(v.Patterns) == 0 {
		errs["pattern"] = "Choose at least one working pattern"
	}
	for _, p := range v.Patterns {
		if !Patterns.Has(p) {
			errs["pattern"] = fmt.Sprintf("%q is not a working pattern", p)
		}
	}
	if v.HoursPerWeek <= 0 || v.HoursPerWeek > 60 {
		errs["hours"] = "Enter hours per week between 1 and 60"
	}
	if msg := validateLocations(v.Locations); msg != "" {
		errs["location"] = msg
	}
	if v.PostedOn.IsZero() {
		errs["posted_on"] = "Enter the date the job was posted"
	}
	if v.ClosingOn.IsZero() {
		errs["closing_on"] = "Enter a closing date"
	} else if !v.PostedOn.IsZero() && v.ClosingOn.Before(v.PostedOn) {
		errs["closing_on"] = msgClosingBeforePosted
	}
	if !Statuses.Has(v.Status) {
		errs["status"] = "Status must be draft, scheduled, live or closed"
	} else if v.Status == Scheduled && v.PublishAt.IsZero() {
		errs["publish_at"] = "Enter the date and time to publish the job"
	}
	switch v.ApplyMethod {
	case "", ApplyExternal, ApplyPortal:
	default:
		errs["apply_method"] = "Choose how people apply: on this website or on yours"
	}
	// A portal application needs no web address; one given must still work.
	noURLNeeded := v.AppliesOnPortal() && v.ApplyURL == ""
	if u, err := url.Parse(v.ApplyURL); !noURLNeeded && (err != nil || (u.Scheme != "https" && u.Scheme != "http") ||
		u.Host == "" || strings.ContainsAny(v.ApplyURL, " \t\n")) {
		errs["apply_url"] = "Enter the web address where people apply, starting https://"
	}
	return errs
}

func (p Pay) validate() string {
	switch {
	case p.Band != "" && !Bands.Has(p.Band):
		return fmt.Sprintf("%q is not an Agenda for Change band", p.Band)
	case p.Band == "" && p.Min == 0 && strings.TrimSpace(p.Text) == "":
		return "Enter a band, the pay, or how pay is described (for example Negotiable)"
	case p.Min < 0 || p.Max < 0:
		return "Pay cannot be negative"
	case p.Min > 0 && p.Period != "year" && p.Period != "hour":
		return "Say whether pay is per year or per hour"
	case p.Max > 0 && p.Max < p.Min:
		return "The top of the pay range must not be below the bottom"
	}
	return ""
}

func validateLocations(locs []Location) string {
	if len(locs) == 0 {
		return "Enter at least one location"
	}
	for _, l := range locs {
		switch {
		case len(strings.TrimSpace(l.Name)) < 2:
			return "Every location needs a place name"
		case l.Postcode != "" && !postcodePattern.MatchString(l.Postcode):
			return fmt.Sprintf("%q is not a postcode", l.Postcode)
		case l.Lat < 49 || l.Lat > 61 || l.Lon < -9 || l.Lon > 3:
			return fmt.Sprintf("%s is not in Great Britain", l.Name)
		}
	}
	return ""
}
