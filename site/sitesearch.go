package site

import (
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// sitePage is /search: pages and jobs for the same words, side by side.
type siteSearchPage struct {
	Base
	Q       string
	Results search.AllResults
	JobsURL string
}

const (
	siteSearchPages     = 10
	siteSearchVacancies = 10
)

func (s *Server) siteSearch(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if len(q) > 200 {
		return &UserError{Status: http.StatusBadRequest, Message: "Search for at most 200 characters.", Parameter: "q"}
	}
	res, err := s.Search.SearchAll(c.Request().Context(), q, siteSearchPages, siteSearchVacancies)
	if err != nil {
		return err
	}
	title := "Search"
	if q != "" {
		title = "Search results for “" + q + "”"
	}
	page := siteSearchPage{Base: s.base(c, title), Q: q, Results: res, JobsURL: "/jobs?q=" + queryEscape(q)}
	page.Base.Query, page.NoIndex = q, q != ""
	page.Description = "Search jobs, area guides and career pathways across Cambridgeshire and Peterborough's health and care employers."
	return s.render.render(c, http.StatusOK, "search", page)
}

// apiSiteSearch answers {"pages": {"total", "hits"}, "vacancies": {"total", "hits"}}.
func (s *Server) apiSiteSearch(c echo.Context) error {
	q := strings.TrimSpace(c.QueryParam("q"))
	if q == "" || len(q) > 200 {
		return &UserError{Status: http.StatusBadRequest, Message: "q must be 1 to 200 characters", Parameter: "q"}
	}
	res, err := s.Search.SearchAll(c.Request().Context(), q, siteSearchPages, siteSearchVacancies)
	if err != nil {
		return err
	}
	type pageHit struct {
		Kind    string `json:"kind"`
		Title   string `json:"title"`
		Summary string `json:"summary"`
		URL     string `json:"url"`
	}
	out := struct {
		Pages struct {
			Total int       `json:"total"`
			Hits  []pageHit `json:"hits"`
		} `json:"pages"`
		Vacancies struct {
			Total int          `json:"total"`
			Hits  []apiVacancy `json:"hits"`
		} `json:"vacancies"`
	}{}
	out.Pages.Total, out.Vacancies.Total = res.Pages.Total, res.Vacancies.Total
	out.Pages.Hits, out.Vacancies.Hits = []pageHit{}, []apiVacancy{}
	for _, h := range res.Pages.Hits {
		out.Pages.Hits = append(out.Pages.Hits, pageHit{h.Kind, h.Title, h.Summary, h.URL})
	}
	for _, h := range res.Vacancies.Hits {
		out.Vacancies.Hits = append(out.Vacancies.Hits, hitToAPI(h))
	}
	return c.JSON(http.StatusOK, out)
}

// sitemap lists every live vacancy and published page, for search engines.
func (s *Server) sitemap(c echo.Context) error {
	ctx := c.Request().Context()
	type loc struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	doc := struct {
		XMLName xml.Name `xml:"urlset"`
		NS      string   `xml:"xmlns,attr"`
		URLs    []loc    `xml:"url"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9"}
	for _, path := range []string{"/", "/jobs", "/employers", "/living-here", "/careers", "/stories", "/search"} {
		doc.URLs = append(doc.URLs, loc{Loc: s.Config.BaseURL + path})
	}
	live, err := s.Pages.ListLive(ctx, "", 5000)
	if err != nil {
		return err
	}
	for _, p := range live {
		doc.URLs = append(doc.URLs, loc{Loc: s.Config.BaseURL + p.Path(), LastMod: p.UpdatedAt.Format(time.DateOnly)})
	}
	err = s.Vacancies.EachSearchable(ctx, 2000, func(list []vacancies.Vacancy) error {
		for _, v := range list {
			doc.URLs = append(doc.URLs, loc{Loc: s.Config.BaseURL + v.Path(), LastMod: v.UpdatedAt.Format(time.DateOnly)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	out, err := xml.Marshal(doc)
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/xml; charset=utf-8", append([]byte(xml.Header), out...))
}

// storiesRSS is the newest stories as RSS.
func (s *Server) storiesRSS(c echo.Context) error {
	list, err := s.Pages.ListLive(c.Request().Context(), pages.Story, 30)
	if err != nil {
		return err
	}
	doc := rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: rssChannel{
		Title:       "Stories – " + SiteName,
		Link:        s.Config.BaseURL + "/stories",
		Self:        atomLink{Href: s.Config.BaseURL + "/stories.rss", Rel: "self", Type: "application/rss+xml"},
		Description: "Stories of people working in health and care in Cambridgeshire and Peterborough.",
		Language:    "en-gb",
	}}
	for _, p := range list {
		doc.Channel.Items = append(doc.Channel.Items, rssItem{
			Title: p.Title, Link: s.Config.BaseURL + p.Path(), GUID: s.Config.BaseURL + p.Path(),
			PubDate: p.PublishedAt.Format(time.RFC1123Z), Description: p.Summary,
		})
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/rss+xml; charset=utf-8", append([]byte(xml.Header), out...))
}

// applyRedirect sends a jobseeker to the employer's application page,
// counting the click for the vacancy, and for the campaign they came
// through, if any. A role applied for on the portal goes to its form
// (counted for the campaign only: apply_clicks counts link-outs).
func (s *Server) applyRedirect(c echo.Context) error {
	v, err := s.loadPublicVacancy(c)
	if err != nil {
		return err
	}
	if !v.Open(s.Now()) {
		return c.Redirect(http.StatusSeeOther, v.Path())
	}
	if campaign := campaignOf(c); campaign != "" {
		if err := s.Pages.CountCampaign(c.Request().Context(), campaign, "apply-click", c.QueryParam("utm_source")); err != nil {
			s.logger.Warn("count apply click", "campaign", campaign, "err", err)
		}
	}
	if v.AppliesOnPortal() {
		return c.Redirect(http.StatusSeeOther, "/jobs/"+itoa64(v.ID)+"/application")
	}
	if !isPrefetch(c) {
		if err := s.Vacancies.CountApplyClick(c.Request().Context(), v.ID, s.Now()); err != nil {
			s.logger.Warn("count apply click", "vacancy", v.ID, "err", err)
		}
	}
	return c.Redirect(http.StatusSeeOther, v.ApplyURL)
}

// media serves an image an editor uploaded. The name is part of the URL
// for people and caches; the id decides.
func (s *Server) media(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return echo.ErrNotFound
	}
	m, data, err := s.Pages.Image(c.Request().Context(), id)
	if errors.Is(err, pages.ErrNotFound) || (err == nil && m.Name != c.Param("name")) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, m.ContentType, data)
}
