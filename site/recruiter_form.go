package site

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// vacancyFormOrder is the form's fields in page order, for the error summary.
var vacancyFormOrder = []string{"title", "staff_group", "locations", "band", "pay_min", "pay_max", "pay_period",
	"pay_text", "contract", "patterns", "hours", "closing_on", "description", "apply_method", "apply_url", "publish_at"}

// Domain validation names some fields differently from the form.
var vacancyFieldRename = map[string]string{"pay": "band", "pattern": "patterns", "location": "locations",
	"posted_on": "closing_on"}

// vacancyFormPage is the create and edit form, with an optional preview of
// the advert built from what was typed.
type vacancyFormPage struct {
	recruiterBase
	Form        *form
	Editing     bool
	Vacancy     vacancies.Vacancy // when editing
	Preview     *vacancyView
	StaffGroups []option
	Bands       []option
	Contracts   []option
	Patterns    []option
	Periods     []option
	Methods     []option // how people apply
	Action      string
}

func termOptions(terms vacancies.Terms, blank string) []option {
	var opts []option
	if blank != "" {
		opts = append(opts, option{Value: "", Label: blank})
	}
	for _, t := range terms {
		opts = append(opts, option{Value: t.Slug, Label: t.Label})
	}
	return opts
}

func (s *Server) vacancyFormPage(c echo.Context, title string, f *form) vacancyFormPage {
	bands := []option{{Value: "", Label: "Not on Agenda for Change"}}
	for _, b := range vacancies.Bands {
		bands = append(bands, option{Value: b.Slug, Label: b.Label})
	}
	return vacancyFormPage{recruiterBase: s.recruiterBase(c, title, "vacancies"), Form: f,
		StaffGroups: termOptions(vacancies.StaffGroups, "Choose a staff group"),
		Bands:       bands,
		Contracts:   termOptions(vacancies.Contracts, "Choose a contract"),
		Patterns:    termOptions(vacancies.Patterns, ""),
		Periods:     []option{{Value: "year", Label: "A year"}, {Value: "hour", Label: "An hour"}},
		Methods: []option{{Value: vacancies.ApplyPortal, Label: "On this website, with their profile"},
			{Value: vacancies.ApplyExternal, Label: "On your website"}},
	}
}

func (s *Server) newVacancyForm(c echo.Context) error {
	f := newForm(nil, vacancyFormOrder...)
	f.Values.Set("hours", "37.5")
	f.Values.Set("apply_url", currentPartner(c).Website)
	f.Values.Set("apply_method", vacancies.ApplyExternal)
	f.SetDate("closing_on", s.Now().AddDate(0, 0, 28))
	return s.render.render(c, http.StatusOK, "recruiter-vacancy-form", s.vacancyFormPage(c, "Post a job", f))
}

func (s *Server) editVacancyForm(c echo.Context) error {
	v, err := s.loadOwnVacancy(c)
	if err != nil {
		return err
	}
	if v.FromFeed {
		return s.vacancyActionError(c, v, vacancies.ErrFromFeed)
	}
	page := s.vacancyFormPage(c, "Edit "+v.Title, vacancyToForm(v))
	page.Editing, page.Vacancy = true, v
	return s.render.render(c, http.StatusOK, "recruiter-vacancy-form", page)
}

// saveVacancy handles both forms' buttons: preview, save as draft, publish
// now and schedule.
func (s *Server) saveVacancy(c echo.Context) error {
	ctx := c.Request().Context()
	p := currentPartner(c)
	f := newForm(mustForm(c), vacancyFormOrder...)
	editing := c.Param("id") != ""
	var existing vacancies.Vacancy
	title := "Post a job"
	if editing {
		var err error
		if existing, err = s.loadOwnVacancy(c); err != nil {
			return err
		}
		if existing.FromFeed {
			return s.vacancyActionError(c, existing, vacancies.ErrFromFeed)
		}
		title = "Edit " + existing.Title
	}
	page := s.vacancyFormPage(c, title, f)
	page.Editing, page.Vacancy = editing, existing
	v := s.vacancyFromForm(f)
	v.PartnerID, v.Partner = p.ID, p
	if editing {
		v.ID, v.ExternalRef, v.PostedOn, v.Status = existing.ID, existing.ExternalRef, existing.PostedOn, existing.Status
	}
	action := vacancies.Action{Kind: f.Value("action")}
	switch action.Kind {
	case "preview":
		view := newVacancyView(v, s.Now())
		view.Preview = true
		page.Preview = &view
		page.Form.Errors = map[string]string{} // a preview checks nothing yet
		return s.render.render(c, http.StatusOK, "recruiter-vacancy-form", page)
	case "draft", "publish":
	case "schedule":
		action.At = s.scheduleTime(f)
	default:
		return &UserError{Status: http.StatusBadRequest, Message: "Choose what to do with the job: save as draft, preview, publish or schedule."}
	}
	if !f.OK() {
		// Show every mistake at once, not only the boxes that could not be read.
		check := v
		check.ExternalRef, check.Status = "unsaved", vacancies.Draft
		f.Merge(check.Validate(), vacancyFieldRename)
		return s.render.render(c, http.StatusUnprocessableEntity, "recruiter-vacancy-form", page)
	}
	userID := currentUser(c).ID
	id := existing.ID
	var err error
	if editing {
		err = s.Vacancies.Update(ctx, p.ID, userID, existing.ID, v, action)
	} else {
		id, err = s.Vacancies.Create(ctx, p.ID, userID, v, action)
	}
	var verr vacancies.ValidationError
	if errors.As(err, &verr) {
		f.Merge(verr, vacancyFieldRename)
		return s.render.render(c, http.StatusUnprocessableEntity, "recruiter-vacancy-form", page)
	}
	if err != nil {
		return s.vacancyActionError(c, existing, err)
	}
	verb := map[string]string{"draft": "save-draft", "publish": "publish", "schedule": "schedule"}[action.Kind]
	var before any
	if editing {
		before = auditVacancyFields(existing)
	}
	if err := s.recordAudit(c, audit.Entry{Action: "vacancy." + verb, TargetType: "vacancy", TargetID: itoa64(id),
		PartnerID: p.ID, Before: before, After: auditVacancyFields(v)}); err != nil {
		return err
	}
	flash := map[string]string{
		"draft":    "Your draft is saved. It is not on the public site.",
		"publish":  "The job is live. It will be in search within a few seconds.",
		"schedule": "The job is scheduled. It goes live on " + action.At.In(ukTime).Format("2 January 2006 at 15:04") + ".",
	}[action.Kind]
	return s.redirectWithFlash(c, "/recruiter/"+p.Slug+"/vacancies/"+itoa64(id), flash)
}

// scheduleTime reads the publish date and time (UK time).
func (s *Server) scheduleTime(f *form) time.Time {
	day := f.Date("publish_at", "date to publish", true)
	clock := f.Trimmed("publish_time")
	if clock == "" {
		clock = "09:00"
	}
	t, err := time.ParseInLocation("15:04", clock, ukTime)
	if err != nil {
		f.Fail("publish_at", "Enter the time to publish as hours and minutes, for example 09:00")
		return time.Time{}
	}
	if day.IsZero() {
		return time.Time{}
	}
	at := time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, ukTime)
	if !at.After(s.Now()) {
		f.Fail("publish_at", "The date and time to publish must be in the future")
	}
	return at
}

// vacancyFromForm builds a vacancy from the form; number and date boxes it
// cannot read get their error here, the rest comes from vacancies.Validate.
func (s *Server) vacancyFromForm(f *form) vacancies.Vacancy {
	v := vacancies.Vacancy{
		Title:            f.Trimmed("title"),
		Description:      strings.TrimSpace(strings.ReplaceAll(f.Value("description"), "\r\n", "\n")),
		StaffGroup:       f.Value("staff_group"),
		Contract:         f.Value("contract"),
		Patterns:         f.Values["patterns"],
		ApplyURL:         f.Trimmed("apply_url"),
		ApplyMethod:      f.Value("apply_method"),
		PassportAccepted: f.Value("passport_accepted") == "yes",
		Pay: vacancies.Pay{
			Band: f.Value("band"),
			Min:  f.Number("pay_min", "Enter the pay as a number, for example 24,937 or 12.60"),
			Max:  f.Number("pay_max", "Enter the top of the pay range as a number, for example 30,000"),
			Text: f.Trimmed("pay_text"),
		},
		HoursPerWeek: f.Number("hours", "Enter the hours per week as a number, for example 37.5"),
		PostedOn:     vacancies.Date(s.Now()),
	}
	if v.Pay.Min > 0 {
		v.Pay.Period = f.Value("pay_period")
	}
	if f.Trimmed("hours") == "" {
		f.Fail("hours", "Enter the hours per week")
	}
	v.ClosingOn = f.Date("closing_on", "closing date", true)
	v.Locations = s.parseLocations(f)
	return v
}

// parseLocations reads one place per line: a town or village, a postcode,
// or "Site name, postcode". Each must be found in the gazetteer.
func (s *Server) parseLocations(f *form) []vacancies.Location {
	var locs []vacancies.Location
	for line := range strings.SplitSeq(f.Value("locations"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if len(locs) == 10 {
			f.Fail("locations", "Enter no more than 10 locations")
			break
		}
		name, lookup := line, line
		if before, after, ok := strings.Cut(line, ","); ok && strings.TrimSpace(after) != "" {
			name, lookup = strings.TrimSpace(before), strings.TrimSpace(after)
		}
		place, err := s.Gazetteer.Lookup(lookup)
		if errors.Is(err, geo.ErrUnknownPlace) {
			f.Fail("locations", fmt.Sprintf("We could not find %q. Enter a town, village or postcode, for example Wisbech or PE13 3AB", lookup))
			continue
		}
		if err != nil {
			f.Fail("locations", "Enter each location on its own line")
			continue
		}
		loc := vacancies.Location{Name: name, Lat: place.Lat, Lon: place.Lon}
		if pc := strings.ToUpper(strings.TrimSpace(lookup)); postcodeLike(pc) {
			loc.Postcode = pc
		} else if place.Postcode != "" && name == lookup {
			loc.Postcode = place.Postcode
		}
		if name == lookup {
			loc.Name = place.Name
		}
		locs = append(locs, loc)
	}
	if len(locs) == 0 && f.Error("locations") == "" {
		f.Fail("locations", "Enter at least one location")
	}
	return locs
}

func postcodeLike(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	return s[0] >= 'A' && s[0] <= 'Z' && strings.ContainsAny(s, "0123456789") && !strings.ContainsAny(s, ",.")
}

// vacancyToForm fills the form from a saved vacancy.
func vacancyToForm(v vacancies.Vacancy) *form {
	f := newForm(nil, vacancyFormOrder...)
	set := f.Values.Set
	set("title", v.Title)
	set("staff_group", v.StaffGroup)
	set("band", v.Pay.Band)
	if v.Pay.Min > 0 {
		set("pay_min", strconv.FormatFloat(v.Pay.Min, 'f', -1, 64))
		set("pay_period", v.Pay.Period)
	}
	if v.Pay.Max > 0 {
		set("pay_max", strconv.FormatFloat(v.Pay.Max, 'f', -1, 64))
	}
	set("pay_text", v.Pay.Text)
	set("contract", v.Contract)
	f.Values["patterns"] = slices.Clone(v.Patterns)
	set("hours", strconv.FormatFloat(v.HoursPerWeek, 'f', -1, 64))
	var lines []string
	for _, l := range v.Locations {
		if l.Postcode != "" {
			lines = append(lines, l.Name+", "+l.Postcode)
		} else {
			lines = append(lines, l.Name)
		}
	}
	set("locations", strings.Join(lines, "\n"))
	f.SetDate("closing_on", v.ClosingOn)
	set("description", v.Description)
	set("apply_url", v.ApplyURL)
	set("apply_method", vacancies.ApplyExternal)
	if v.AppliesOnPortal() {
		set("apply_method", vacancies.ApplyPortal)
	}
	if v.PassportAccepted {
		set("passport_accepted", "yes")
	}
	if !v.PublishAt.IsZero() {
		f.SetDate("publish_at", v.PublishAt.In(ukTime))
		set("publish_time", v.PublishAt.In(ukTime).Format("15:04"))
	}
	return f
}

// auditVacancyFields is what the audit log keeps of a vacancy.
func auditVacancyFields(v vacancies.Vacancy) map[string]any {
	return map[string]any{"title": v.Title, "status": v.Status, "staff_group": v.StaffGroup, "band": v.Pay.Band,
		"pay": v.Pay.String(), "contract": v.Contract, "patterns": v.Patterns, "hours": v.HoursPerWeek,
		"closing_on": isoDay(v.ClosingOn), "apply_url": v.ApplyURL, "apply_method": v.ApplyMethod, "passport_accepted": v.PassportAccepted}
}

func isoDay(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
