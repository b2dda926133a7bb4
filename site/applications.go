package site

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/profiles"
)

// applicationPages are the templates of applying and of following
// applications, for jobseekers and recruiters.
var applicationPages = []string{"apply-form", "apply-done", "applications-list", "applications-detail",
	"recruiter-applications", "recruiter-application", "recruiter-application-questions"}

// applicationRoutes are the jobseeker's: applying, and their applications.
func (s *Server) applicationRoutes(e *echo.Echo) {
	e.GET("/jobs/:id/application", s.applyForm, s.requireUser)
	e.POST("/jobs/:id/application", s.apply, s.requireUser)
	e.GET("/account/applications", s.myApplications, s.requireUser)
	e.GET("/account/applications/:id", s.myApplication, s.requireUser)
	e.POST("/account/applications/:id/withdraw", s.withdrawApplication, s.requireUser)
}

// statusTag is how a status shows: an NHS.UK tag.
type statusTag struct{ Label, Class string }

func tagFor(status string) statusTag {
	class := map[string]string{
		applications.Submitted: "nhsuk-tag--grey", applications.UnderReview: "nhsuk-tag--blue",
		applications.Shortlisted: "nhsuk-tag--aqua-green", applications.Interview: "nhsuk-tag--purple",
		applications.Offered: "nhsuk-tag--yellow", applications.Accepted: "nhsuk-tag--green",
		applications.Unsuccessful: "nhsuk-tag--red", applications.Withdrawn: "nhsuk-tag--white",
	}[status]
	return statusTag{Label: applications.Label(status), Class: class}
}

// applicationRow is one application in a list.
type applicationRow struct {
	applications.Summary
	Tag statusTag
}

func applicationRows(list []applications.Summary) []applicationRow {
	rows := make([]applicationRow, len(list))
	for i, a := range list {
		rows[i] = applicationRow{Summary: a, Tag: tagFor(a.Status)}
	}
	return rows
}

// eventRow is one step of an application's history.
type eventRow struct {
	applications.Event
	Tag   statusTag
	Who   string   // "by you" or "by the applicant" for the applicant's own steps
	Lines []string // the note, line by line
}

// eventRows is a history for the applicant (mine) or a recruiter.
func eventRows(events []applications.Event, mine bool) []eventRow {
	rows := make([]eventRow, len(events))
	for i, e := range events {
		rows[i] = eventRow{Event: e, Tag: tagFor(e.Status), Lines: lines(e.Note)}
		if e.ByApplicant {
			rows[i].Who = map[bool]string{true: "by you", false: "by the applicant"}[mine]
		}
	}
	return rows
}

// summaryRow is one row of an NHS.UK summary list: a key and the lines of
// its value.
type summaryRow struct {
	Key   string
	Lines []string
}

// profileRows is a profile as a summary list. hidden blanks what says who
// the person is, for a recruiter before shortlisting.
func profileRows(p profiles.Profile, hidden bool) []summaryRow {
	const hiddenText = "Hidden until shortlisted"
	or := func(value, fallback string) []string {
		if strings.TrimSpace(value) == "" {
			return []string{fallback}
		}
		return lines(value)
	}
	rows := []summaryRow{
		{"Name", or(p.Name, "Not given")},
		{"E-mail address", or(p.Email, "Not given")},
		{"Telephone", or(p.Phone, "Not given")},
		{"Address", or(strings.TrimSpace(p.Address+"\n"+p.Postcode), "Not given")},
	}
	if hidden {
		for i := range rows {
			rows[i].Lines = []string{hiddenText}
		}
	}
	rows = append(rows, summaryRow{"Right to work in the UK", or(rightToWorkLabel(p.RightToWork), "Not given")})
	registration := "None"
	switch {
	case p.RegistrationBody != "" && hidden:
		registration = p.RegistrationBody + " (number hidden until shortlisted)"
	case p.RegistrationBody != "":
		registration = p.RegistrationBody + " " + p.RegistrationNumber
	}
	rows = append(rows, summaryRow{"Professional registration", []string{registration}})
	var jobs, education, referees []string
	for _, j := range p.WorkHistory {
		jobs = append(jobs, j.Role+", "+j.Employer+", "+monthName(j.From)+" to "+map[bool]string{true: "now", false: monthName(j.To)}[j.Current()])
	}
	for _, q := range p.Education {
		line := q.Qualification + ", " + q.Institution
		if q.Year != "" {
			line += ", " + q.Year
		}
		education = append(education, line)
	}
	for _, r := range p.References {
		referees = append(referees, r.Name+" ("+r.Relationship+"), "+r.Email)
	}
	if hidden {
		referees = []string{hiddenText}
	}
	none := func(list []string) []string {
		if len(list) == 0 {
			return []string{"None given"}
		}
		return list
	}
	return append(rows,
		summaryRow{"Work history", none(jobs)},
		summaryRow{"Education and training", none(education)},
		summaryRow{"Referees", none(referees)},
		summaryRow{"Supporting statement", or(p.Statement, "Not written yet")},
	)
}

// monthName writes a stored month as people read it: "2019-04" -> "April 2019".
func monthName(stored string) string {
	m, y := profiles.SplitMonth(stored)
	n, err := strconv.Atoi(m)
	if err != nil || n < 1 || n > 12 {
		return stored
	}
	return time.Month(n).String() + " " + y
}

// lines splits text someone wrote into its lines, for <br> between them.
func lines(text string) []string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// passportList is a shared passport; Links says whether to link the
// evidence files, which partner Slug serves.
type passportList struct {
	Items []passportRow
	Links bool
	Slug  string
}

// passportRow is a shared passport item as a recruiter or the applicant
// sees it.
type passportRow struct {
	profiles.PassportItem
	Kind  string
	Dates string
}

func passportRows(items []profiles.PassportItem) []passportRow {
	rows := make([]passportRow, len(items))
	for i, item := range items {
		row := passportRow{PassportItem: item, Kind: map[string]string{profiles.Training: "Training",
			profiles.DBS: "DBS check", profiles.OccupationalHealth: "Occupational health"}[item.Kind]}
		var dates []string
		if !item.CompletedOn.IsZero() {
			dates = append(dates, "Completed "+item.CompletedOn.Format("2 January 2006"))
		}
		if !item.ExpiresOn.IsZero() {
			dates = append(dates, "expires "+item.ExpiresOn.Format("2 January 2006"))
		}
		row.Dates = strings.Join(dates, ", ")
		rows[i] = row
	}
	return rows
}

// --- the applicant's pages ----------------------------------------------

type myApplicationsPage struct {
	Base
	Applications []applicationRow
}

func (s *Server) myApplications(c echo.Context) error {
	list, err := s.Applications.ListForUser(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "applications-list",
		myApplicationsPage{Base: s.accountBase(c, "Your applications"), Applications: applicationRows(list)})
}

type myApplicationPage struct {
	Base
	Application applications.Application
	Tag         statusTag
	Profile     []summaryRow
	Statement   []string
	Passport    passportList
	Events      []eventRow
	Form        *form
}

func (s *Server) myApplication(c echo.Context) error {
	a, err := s.loadMyApplication(c)
	if err != nil {
		return err
	}
	return s.renderMyApplication(c, http.StatusOK, a, newForm(nil))
}

func (s *Server) loadMyApplication(c echo.Context) (applications.Application, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return applications.Application{}, echo.ErrNotFound
	}
	a, err := s.Applications.GetForUser(c.Request().Context(), currentUser(c).ID, id)
	return a, applicationError(err)
}

func (s *Server) renderMyApplication(c echo.Context, status int, a applications.Application, f *form) error {
	page := myApplicationPage{Base: s.accountBase(c, a.VacancyTitle+" – your application"), Application: a,
		Tag: tagFor(a.Status), Profile: profileRows(a.Profile, false), Statement: lines(a.Statement),
		Passport: passportList{Items: passportRows(a.Passport)}, Events: eventRows(a.Events, true), Form: f}
	return s.render.render(c, status, "applications-detail", page)
}

func (s *Server) withdrawApplication(c echo.Context) error {
	a, err := s.loadMyApplication(c)
	if err != nil {
		return err
	}
	err = s.Applications.Withdraw(c.Request().Context(), currentUser(c).ID, a.ID)
	var verr applications.ValidationError
	if errors.As(err, &verr) {
		f := newForm(nil, "withdraw")
		f.Merge(verr, nil)
		return s.renderMyApplication(c, http.StatusUnprocessableEntity, a, f)
	}
	if err != nil {
		return applicationError(err)
	}
	return s.redirectWithFlash(c, "/account/applications/"+itoa64(a.ID),
		"You have withdrawn your application for "+a.VacancyTitle+". "+a.PartnerName+" now sees it as withdrawn.")
}
