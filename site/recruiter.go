package site

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
)

const ctxPartner = "portal.partner"

// partnerAccess loads the partner named in the URL and lets through only
// its members and admins. Everything under /recruiter/:partner hangs off
// this check; the domain then refuses any vacancy of another partner.
func (s *Server) partnerAccess(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.Partners.BySlug(c.Request().Context(), c.Param("partner"))
		if errors.Is(err, partners.ErrNotFound) {
			return forbidden() // do not tell outsiders which partners exist
		}
		if err != nil {
			return err
		}
		if !currentUser(c).CanRecruitFor(p.ID) {
			return forbidden()
		}
		c.Set(ctxPartner, p)
		return next(c)
	}
}

// partnerAdminOnly guards what only a partner's admins (and system admins)
// may do: its profile and its team.
func (s *Server) partnerAdminOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !currentUser(c).CanManagePartner(currentPartner(c).ID) {
			return forbidden()
		}
		return next(c)
	}
}

func currentPartner(c echo.Context) partners.Partner {
	p, _ := c.Get(ctxPartner).(partners.Partner)
	return p
}

// recruiterBase is the shared part of the recruiter pages.
type recruiterBase struct {
	Base
	Partner   partners.Partner
	CanManage bool
	Tab       string
}

func (s *Server) recruiterBase(c echo.Context, title, tab string) recruiterBase {
	b := s.base(c, title)
	b.NoIndex, b.Section = true, "recruiter"
	p := currentPartner(c)
	return recruiterBase{Base: b, Partner: p, CanManage: currentUser(c).CanManagePartner(p.ID), Tab: tab}
}

// recruiterHome sends someone with one organisation straight to it.
func (s *Server) recruiterHome(c echo.Context) error {
	u := currentUser(c)
	if len(u.Memberships) == 1 {
		return c.Redirect(http.StatusSeeOther, "/recruiter/"+u.Memberships[0].PartnerSlug)
	}
	b := s.base(c, "Choose an organisation")
	b.NoIndex, b.Section = true, "recruiter"
	return s.render.render(c, http.StatusOK, "recruiter-home", struct {
		Base
		Memberships []accounts.Membership
	}{b, u.Memberships})
}

// dashboardPage lists a partner's vacancies with counts by status.
type dashboardPage struct {
	recruiterBase
	Counts     map[string]int
	Vacancies  []vacancies.Vacancy
	Total      int
	Status     string
	Source     string
	Query      string
	Filters    []navLink
	Pagination pager
	// Applications made here per vacancy id; absent for roles that link out
	// and have none.
	Applications map[int64]int
}

var dashboardStatuses = []struct{ Value, Label string }{
	{"", "All"}, {vacancies.Live, "Live"}, {vacancies.Draft, "Draft"}, {vacancies.Scheduled, "Scheduled"}, {vacancies.Closed, "Closed"},
}

func (s *Server) recruiterDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	p := currentPartner(c)
	page := dashboardPage{recruiterBase: s.recruiterBase(c, "Vacancies – "+p.Name, "vacancies"),
		Status: c.QueryParam("status"), Source: c.QueryParam("source"), Query: c.QueryParam("q")}
	if page.Source != "manual" && page.Source != "feed" {
		page.Source = ""
	}
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	pageNo = max(pageNo, 1)
	counts, err := s.Vacancies.StatusCounts(ctx, p.ID)
	if err != nil {
		return err
	}
	page.Counts = counts
	list, total, err := s.Vacancies.List(ctx, vacancies.ListFilter{PartnerID: p.ID, Status: page.Status,
		Source: page.Source, Query: page.Query, Page: pageNo, PerPage: 25})
	if err != nil {
		return err
	}
	page.Vacancies, page.Total = list, total
	counted, err := s.Applications.Vacancies(ctx, p.ID)
	if err != nil {
		return err
	}
	page.Applications = map[int64]int{}
	for _, v := range counted {
		page.Applications[v.ID] = v.Applications
	}
	for _, st := range dashboardStatuses {
		q := url.Values{}
		if st.Value != "" {
			q.Set("status", st.Value)
		}
		label := st.Label
		if st.Value != "" {
			label += " (" + itoa(counts[st.Value]) + ")"
		}
		page.Filters = append(page.Filters, navLink{URL: "/recruiter/" + p.Slug + "?" + q.Encode(), Label: label, Current: st.Value == page.Status})
	}
	q := c.QueryParams()
	page.Pagination = newPagination(pageNo, 25, total, func(n int) string {
		q.Set("page", itoa(n))
		return "/recruiter/" + p.Slug + "?" + q.Encode()
	})
	return s.render.render(c, http.StatusOK, "recruiter-dashboard", page)
}

// loadOwnVacancy reads the vacancy in the URL, refusing (404) one that
// belongs to another partner than the one in the URL.
func (s *Server) loadOwnVacancy(c echo.Context) (vacancies.Vacancy, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return vacancies.Vacancy{}, vacancies.ErrNotFound
	}
	v, err := s.Vacancies.Get(c.Request().Context(), id)
	if err != nil {
		return v, err
	}
	if v.PartnerID != currentPartner(c).ID {
		return vacancies.Vacancy{}, vacancies.ErrNotFound
	}
	return v, nil
}

// recruiterVacancyPage shows one vacancy: its state, what can be done with
// it, and the advert exactly as jobseekers see it.
type recruiterVacancyPage struct {
	recruiterBase
	Vacancy vacancies.Vacancy
	Advert  vacancyView
	Form    *form // the extend-closing-date form
}

func (s *Server) recruiterVacancy(c echo.Context) error {
	v, err := s.loadOwnVacancy(c)
	if err != nil {
		return err
	}
	page := recruiterVacancyPage{recruiterBase: s.recruiterBase(c, v.Title, "vacancies"), Vacancy: v,
		Advert: newVacancyView(v, s.Now()), Form: newForm(nil, "closing_on")}
	page.Advert.Preview = true
	return s.render.render(c, http.StatusOK, "recruiter-vacancy", page)
}

func (s *Server) closeVacancy(c echo.Context) error {
	v, err := s.loadOwnVacancy(c)
	if err != nil {
		return err
	}
	if err := s.Vacancies.Close(c.Request().Context(), v.PartnerID, currentUser(c).ID, v.ID); err != nil {
		return s.vacancyActionError(c, v, err)
	}
	if err := s.auditVacancy(c, "vacancy.close", v, map[string]string{"status": v.Status}, map[string]string{"status": vacancies.Closed}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, s.recruiterVacancyPath(v), "The job is closed. It has left public search.")
}

func (s *Server) extendVacancy(c echo.Context) error {
	v, err := s.loadOwnVacancy(c)
	if err != nil {
		return err
	}
	f := newForm(mustForm(c), "closing_on")
	closing := f.Date("closing_on", "new closing date", true)
	if f.OK() {
		err = s.Vacancies.Extend(c.Request().Context(), v.PartnerID, currentUser(c).ID, v.ID, closing)
		var verr vacancies.ValidationError
		switch {
		case errors.As(err, &verr):
			f.Merge(verr, nil)
		case err != nil:
			return s.vacancyActionError(c, v, err)
		}
	}
	if !f.OK() {
		page := recruiterVacancyPage{recruiterBase: s.recruiterBase(c, v.Title, "vacancies"), Vacancy: v,
			Advert: newVacancyView(v, s.Now()), Form: f}
		page.Advert.Preview = true
		return s.render.render(c, http.StatusUnprocessableEntity, "recruiter-vacancy", page)
	}
	if err := s.auditVacancy(c, "vacancy.extend", v, map[string]string{"closing_on": isoDay(v.ClosingOn)},
		map[string]string{"closing_on": isoDay(closing)}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, s.recruiterVacancyPath(v), "The closing date is now "+closing.Format("2 January 2006")+".")
}

func (s *Server) duplicateVacancy(c echo.Context) error {
	v, err := s.loadOwnVacancy(c)
	if err != nil {
		return err
	}
	id, err := s.Vacancies.Duplicate(c.Request().Context(), v.PartnerID, currentUser(c).ID, v.ID)
	if err != nil {
		return s.vacancyActionError(c, v, err)
	}
	if err := s.recordAudit(c, audit.Entry{Action: "vacancy.duplicate", TargetType: "vacancy", TargetID: itoa64(id),
		PartnerID: v.PartnerID, After: map[string]any{"copied_from": v.ID}}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+currentPartner(c).Slug+"/vacancies/"+itoa64(id)+"/edit",
		"This is a new draft copy of "+v.Title+". Check it and publish it when ready.")
}

// vacancyActionError turns "this role comes from a feed" into a message
// on the vacancy's page; other errors go to the error handler.
func (s *Server) vacancyActionError(c echo.Context, v vacancies.Vacancy, err error) error {
	if errors.Is(err, vacancies.ErrFromFeed) {
		return &UserError{Status: http.StatusConflict, Message: "This job comes from " + v.Partner.Name +
			"'s own recruitment system, so change it there: the next import brings the change here."}
	}
	return err
}

func (s *Server) recruiterVacancyPath(v vacancies.Vacancy) string {
	return "/recruiter/" + v.Partner.Slug + "/vacancies/" + itoa64(v.ID)
}

func (s *Server) auditVacancy(c echo.Context, action string, v vacancies.Vacancy, before, after any) error {
	return s.recordAudit(c, audit.Entry{Action: action, TargetType: "vacancy", TargetID: itoa64(v.ID),
		PartnerID: v.PartnerID, Before: before, After: after})
}
