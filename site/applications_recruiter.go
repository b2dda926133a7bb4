package site

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/audit"
)

// recruiterApplicationRoutes hang off /recruiter/:partner (p) and its
// partner-admin group (admin); the domain refuses another partner's
// application on every call.
func (s *Server) recruiterApplicationRoutes(p, admin *echo.Group) {
	p.GET("/applications", s.recruiterApplications)
	p.GET("/applications/:id", s.recruiterApplication)
	p.POST("/applications/:id/status", s.moveApplication)
	p.GET("/vacancies/:id/applications.csv", s.applicationsCSV)
	admin.GET("/questions", s.questionsForm)
	admin.POST("/questions", s.saveQuestions)
}

type recruiterApplicationsPage struct {
	recruiterBase
	Vacancies  []applications.VacancyCount
	VacancyID  int64
	Status     string
	Statuses   []option
	Filters    []navLink
	Rows       []applicationRow
	Total      int
	Pagination pager
}

func (s *Server) recruiterApplications(c echo.Context) error {
	ctx := c.Request().Context()
	p := currentPartner(c)
	page := recruiterApplicationsPage{recruiterBase: s.recruiterBase(c, "Applications – "+p.Name, "applications"),
		Status: c.QueryParam("status")}
	if !applications.Known(page.Status) {
		page.Status = ""
	}
	page.VacancyID, _ = strconv.ParseInt(c.QueryParam("vacancy"), 10, 64)
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	pageNo = max(pageNo, 1)
	var err error
	if page.Vacancies, err = s.Applications.Vacancies(ctx, p.ID); err != nil {
		return err
	}
	counts, err := s.Applications.StatusCounts(ctx, p.ID, page.VacancyID)
	if err != nil {
		return err
	}
	list, total, err := s.Applications.ListForPartner(ctx, p.ID, applications.Filter{VacancyID: page.VacancyID,
		Status: page.Status, Page: pageNo, PerPage: applications.DefaultPerPage})
	if err != nil {
		return err
	}
	page.Rows, page.Total = applicationRows(list), total
	base := "/recruiter/" + p.Slug + "/applications"
	all := 0
	for _, n := range counts {
		all += n
	}
	filter := func(status string) string {
		q := url.Values{}
		if page.VacancyID != 0 {
			q.Set("vacancy", itoa64(page.VacancyID))
		}
		if status != "" {
			q.Set("status", status)
		}
		if len(q) == 0 {
			return base
		}
		return base + "?" + q.Encode()
	}
	page.Filters = append(page.Filters, navLink{URL: filter(""), Label: "All (" + itoa(all) + ")", Current: page.Status == ""})
	page.Statuses = []option{{Value: "", Label: "Any status"}}
	for _, st := range applications.Statuses {
		page.Filters = append(page.Filters, navLink{URL: filter(st.Value), Label: st.Label + " (" + itoa(counts[st.Value]) + ")",
			Current: page.Status == st.Value})
		page.Statuses = append(page.Statuses, option{Value: st.Value, Label: st.Label, Selected: page.Status == st.Value})
	}
	q := c.QueryParams()
	page.Pagination = newPagination(pageNo, applications.DefaultPerPage, total, func(n int) string {
		q.Set("page", itoa(n))
		return base + "?" + q.Encode()
	})
	return s.render.render(c, http.StatusOK, "recruiter-applications", page)
}

type recruiterApplicationPage struct {
	recruiterBase
	Application applications.Application
	Heading     string
	Tag         statusTag
	Profile     []summaryRow
	Statement   []string
	Passport    passportList
	Events      []eventRow
	Moves       []option
	Form        *form
}

func (s *Server) loadPartnerApplication(c echo.Context) (applications.Application, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return applications.Application{}, echo.ErrNotFound
	}
	a, err := s.Applications.GetForPartner(c.Request().Context(), currentPartner(c).ID, id)
	return a, applicationError(err)
}

func (s *Server) recruiterApplication(c echo.Context) error {
	a, err := s.loadPartnerApplication(c)
	if err != nil {
		return err
	}
	return s.renderRecruiterApplication(c, http.StatusOK, a, newForm(nil, "status", "note"))
}

func (s *Server) renderRecruiterApplication(c echo.Context, status int, a applications.Application, f *form) error {
	heading := a.Name
	if a.Anonymised {
		heading = a.Candidate
	}
	page := recruiterApplicationPage{recruiterBase: s.recruiterBase(c, heading+" – "+a.VacancyTitle, "applications"),
		Application: a, Heading: heading, Tag: tagFor(a.Status), Profile: profileRows(a.Profile, a.Anonymised),
		Statement: lines(a.Statement), Events: eventRows(a.Events, false), Form: f,
		Passport: passportList{Items: passportRows(a.Passport), Links: !a.Anonymised, Slug: currentPartner(c).Slug}}
	for _, m := range a.Moves {
		page.Moves = append(page.Moves, option{Value: m, Label: applications.Label(m)})
	}
	return s.render.render(c, status, "recruiter-application", page)
}

func (s *Server) moveApplication(c echo.Context) error {
	a, err := s.loadPartnerApplication(c)
	if err != nil {
		return err
	}
	f := newForm(mustForm(c), "status", "note")
	to := f.Value("status")
	if to == "" {
		f.Fail("status", "Choose the new status")
	} else {
		err = s.Applications.MoveStatus(c.Request().Context(), a.PartnerID, currentUser(c).ID, a.ID, to, f.Value("note"))
		var verr applications.ValidationError
		switch {
		case errors.As(err, &verr):
			f.Merge(verr, nil)
		case err != nil:
			return applicationError(err)
		}
	}
	if !f.OK() {
		return s.renderRecruiterApplication(c, http.StatusUnprocessableEntity, a, f)
	}
	if err := s.recordAudit(c, audit.Entry{Action: "application.move", TargetType: "application", TargetID: itoa64(a.ID),
		PartnerID: a.PartnerID, Before: map[string]string{"status": a.Status}, After: map[string]string{"status": to}}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+currentPartner(c).Slug+"/applications/"+itoa64(a.ID),
		"The application is now "+strings.ToLower(applications.Label(to))+". We have e-mailed the applicant to tell them.")
}

// applicationsCSV downloads a vacancy's applications as a spreadsheet.
func (s *Server) applicationsCSV(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	p := currentPartner(c)
	var buf bytes.Buffer // whole, so a failure is a clean error page rather than half a file
	if err := s.Applications.CSV(c.Request().Context(), p.ID, id, &buf); err != nil {
		return applicationError(err)
	}
	if err := s.recordAudit(c, audit.Entry{Action: "application.export", TargetType: "vacancy", TargetID: itoa64(id),
		PartnerID: p.ID}); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="applications-`+itoa64(id)+`.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// --- screening questions (partner admins) --------------------------------

type questionsPage struct {
	recruiterBase
	Form *form
}

func (s *Server) questionsForm(c echo.Context) error {
	qs, err := s.Applications.Questions(c.Request().Context(), currentPartner(c).ID)
	if err != nil {
		return err
	}
	f := newForm(nil, "questions")
	f.Values.Set("questions", strings.Join(questionTexts(qs), "\n"))
	return s.render.render(c, http.StatusOK, "recruiter-application-questions",
		questionsPage{recruiterBase: s.recruiterBase(c, "Screening questions", "questions"), Form: f})
}

func (s *Server) saveQuestions(c echo.Context) error {
	p := currentPartner(c)
	f := newForm(mustForm(c), "questions")
	list := strings.Split(strings.ReplaceAll(f.Value("questions"), "\r\n", "\n"), "\n")
	before, err := s.Applications.Questions(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	err = s.Applications.SetQuestions(c.Request().Context(), p.ID, list)
	var verr applications.ValidationError
	if errors.As(err, &verr) {
		f.Merge(verr, nil)
		return s.render.render(c, http.StatusUnprocessableEntity, "recruiter-application-questions",
			questionsPage{recruiterBase: s.recruiterBase(c, "Screening questions", "questions"), Form: f})
	}
	if err != nil {
		return err
	}
	after, err := s.Applications.Questions(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "partner.questions", TargetType: "partner", TargetID: itoa64(p.ID),
		PartnerID: p.ID, Before: questionTexts(before), After: questionTexts(after)}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+p.Slug+"/questions", "Your screening questions are saved. Everyone who applies from now on answers them.")
}

func questionTexts(qs []applications.Question) []string {
	texts := make([]string, len(qs))
	for i, q := range qs {
		texts[i] = q.Text
	}
	return texts
}
