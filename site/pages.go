package site

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

type homePage struct {
	Base
	Counts      vacancies.Counts
	StaffGroups []groupLink
}

type groupLink struct {
	Label, URL string
	Count      int
}

func (s *Server) home(c echo.Context) error {
	counts, err := s.Vacancies.LiveCounts(c.Request().Context())
	if err != nil {
		return err
	}
	page := homePage{Base: s.base(c, ""), Counts: counts}
	page.Title = "Health and care jobs in Cambridgeshire and Peterborough"
	page.Description = "One place for every NHS, GP practice, social care, hospice, charity and ambulance job in Cambridgeshire and Peterborough."
	page.OpenGraph = true
	for _, g := range vacancies.StaffGroups {
		if n := counts.ByStaffGroup[g.Slug]; n > 0 {
			page.StaffGroups = append(page.StaffGroups, groupLink{g.Label, "/jobs?staff_group=" + url.QueryEscape(g.Slug), n})
		}
	}
	return s.render.render(c, http.StatusOK, "home", page)
}

type employersPage struct {
	Base
	Groups []partnerGroup
	Total  int
}

type partnerGroup struct {
	Label    string
	Partners []partners.Partner
}

func (s *Server) employers(c echo.Context) error {
	list, err := s.Partners.ListActive(c.Request().Context())
	if err != nil {
		return err
	}
	page := employersPage{Base: s.base(c, "Employers"), Total: len(list)}
	page.Section = "employers"
	page.Description = "Every NHS trust, GP practice, council, care provider, hospice, charity and ambulance service advertising on the portal."
	for _, t := range partners.Types {
		g := partnerGroup{Label: t.Label()}
		for _, p := range list {
			if p.Type == t {
				g.Partners = append(g.Partners, p)
			}
		}
		if len(g.Partners) > 0 {
			page.Groups = append(page.Groups, g)
		}
	}
	return s.render.render(c, http.StatusOK, "employers", page)
}

type employerPage struct {
	Base
	Partner  partners.Partner
	Results  search.Results
	AllJobs  string
	SearchOK bool
}

func (s *Server) employer(c echo.Context) error {
	p, err := s.Partners.BySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	if !p.Active {
		return partners.ErrNotFound
	}
	page := employerPage{Base: s.base(c, p.Name), Partner: p}
	page.Section, page.OpenGraph = "employers", true
	page.Description = "Jobs and information about working for " + p.Name + "."
	q := search.VacancyQuery{Page: 1, Sort: search.SortClosing, Filters: map[string][]string{"partner": {p.Slug}}}
	page.AllJobs = "/jobs?" + q.Encode()
	// The profile still shows when search is down; only the job list waits.
	if res, err := s.Search.Vacancies(c.Request().Context(), q); err == nil {
		page.Results, page.SearchOK = res, true
	} else {
		s.logger.Warn("employer page without search", "partner", p.Slug, "err", err)
	}
	return s.render.render(c, http.StatusOK, "employer", page)
}
