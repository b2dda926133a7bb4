package site

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/markdown"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// contentPage is an area guide, career pathway, campaign, story or plain
// page as the public (or an editor previewing it) sees it.
type contentPage struct {
	Base
	Page     pages.Page
	Body     template.HTML
	Headings []markdown.Heading
	Hub      navLink // the section the page belongs to, for the breadcrumb
	Preview  bool
	Related  []pages.Page
}

// hubs are the sections that list pages of a kind.
var hubs = map[pages.Kind]navLink{
	pages.AreaGuide: {URL: "/living-here", Label: "Living here"},
	pages.Pathway:   {URL: "/careers", Label: "Careers"},
	pages.Campaign:  {URL: "/campaigns", Label: "Campaigns"},
	pages.Story:     {URL: "/stories", Label: "Stories"},
}

// publicPage serves a published page of one kind by its slug.
func (s *Server) publicPage(kind pages.Kind) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.Pages.Live(c.Request().Context(), kind, c.Param("slug"))
		if errors.Is(err, pages.ErrNotFound) {
			return echo.ErrNotFound
		}
		if err != nil {
			return err
		}
		if kind == pages.Campaign && !isPrefetch(c) {
			if err := s.Pages.CountCampaign(c.Request().Context(), p.Slug, "visit", c.QueryParam("utm_source")); err != nil {
				s.logger.Warn("count campaign visit", "campaign", p.Slug, "err", err)
			}
		}
		page := s.newContentPage(c, p, false)
		return s.render.render(c, http.StatusOK, "content", page)
	}
}

func (s *Server) newContentPage(c echo.Context, p pages.Page, preview bool) contentPage {
	page := contentPage{Base: s.base(c, p.Title), Page: p, Preview: preview, Hub: hubs[p.Kind]}
	page.Description, page.OpenGraph = p.Summary, !preview
	page.Section = sectionOf(p.Kind)
	page.Canonical = s.Config.BaseURL + p.Path()
	page.Body = markdown.RenderPage(p.Body, s.blockRenderer(c, p, preview))
	page.Headings = markdown.Headings(p.Body)
	if preview {
		page.NoIndex = true
	}
	return page
}

func sectionOf(k pages.Kind) string {
	switch k {
	case pages.AreaGuide:
		return "living-here"
	case pages.Pathway:
		return "careers"
	}
	return ""
}

// isPrefetch reports a browser's speculative load, which no one saw.
func isPrefetch(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("Sec-Purpose") != "" || h.Get("Purpose") == "prefetch" || c.Request().Method == http.MethodHead
}

// blockView is what the live-block partials render.
type blockView struct {
	Index    int
	Heading  string
	Hits     []search.Hit
	Total    int
	AllURL   string
	Suffix   string // appended to vacancy links: the campaign being followed
	Steps    []stepView
	Problem  string // shown to editors in preview only
	NoSearch bool   // search was unavailable
}

type stepView struct {
	markdown.PathwayStep
	Number   int
	RolesURL string
}

// blockRenderer renders the live blocks of p: vacancy lists from search
// and pathway steps linking to live roles. A block with a problem shows
// the editor what is wrong in preview and nothing on the public page.
func (s *Server) blockRenderer(c echo.Context, p pages.Page, preview bool) func(markdown.Block) template.HTML {
	campaign := ""
	if p.Kind == pages.Campaign {
		campaign = p.Slug
	}
	lists := 0 // vacancy lists so far, numbered as the markdown package numbers them
	return func(b markdown.Block) template.HTML {
		if b.Kind == markdown.KindVacancies {
			lists++
		}
		view, err := s.liveBlock(c, b, campaign, lists)
		if err != nil {
			if !preview {
				s.logger.Debug("live block left out", "page", p.Slug, "block", b.Index, "err", err)
				return ""
			}
			view = blockView{Index: b.Index, Problem: err.Error()}
		}
		html, err := s.render.partial("live-block", view)
		if err != nil {
			s.logger.Error("render live block", "page", p.Slug, "err", err)
			return ""
		}
		return html
	}
}

func (s *Server) liveBlock(c echo.Context, b markdown.Block, campaign string, number int) (blockView, error) {
	if b.Err != nil {
		return blockView{}, b.Err
	}
	view := blockView{Index: b.Index}
	if campaign != "" {
		view.Suffix = "?" + url.Values{"campaign": {campaign}}.Encode()
	}
	switch b.Kind {
	case "pathway":
		for i, step := range b.Steps {
			q := url.Values{}
			if step.Search != "" {
				q.Set("q", step.Search)
			}
			if step.StaffGroup != "" {
				q.Set("staff_group", step.StaffGroup)
			}
			if step.Band != "" {
				q.Set("band", step.Band)
			}
			view.Steps = append(view.Steps, stepView{PathwayStep: step, Number: i + 1, RolesURL: "/jobs?" + q.Encode()})
		}
		return view, nil
	case "vacancies":
		vb := b.Vacancies
		values := url.Values{}
		if vb.Q != "" {
			values.Set("q", vb.Q)
		}
		if vb.StaffGroup != "" {
			values.Set("staff_group", vb.StaffGroup)
		}
		if vb.Partner != "" {
			if name := s.partnerName(c.Request().Context(), vb.Partner); name == vb.Partner {
				return view, fmt.Errorf("Vacancy list %d: no employer has the slug %q", number, vb.Partner)
			}
			values.Set("partner", vb.Partner)
		}
		if vb.Place != "" {
			values.Set("location", vb.Place)
			if vb.Radius > 0 {
				values.Set("distance", strconv.Itoa(vb.Radius))
			}
		}
		q, err := search.ParseVacancyQuery(values, s.Gazetteer)
		if err != nil {
			var perr *search.ParamError
			if errors.As(err, &perr) {
				return view, fmt.Errorf("Vacancy list %d: %s", number, perr.Message)
			}
			return view, err
		}
		if q.Sort == "" && q.Q == "" {
			q.Sort = search.SortNewest
		}
		view.Heading, view.AllURL = vb.Heading, "/jobs?"+q.Encode()
		if campaign != "" {
			view.AllURL += "&" + url.Values{"campaign": {campaign}}.Encode()
		}
		res, err := s.Search.Vacancies(c.Request().Context(), q)
		if err != nil {
			// Search being down must not break the page: say so in the block.
			view.NoSearch = true
			return view, nil
		}
		view.Total = res.Total
		limit := vb.Limit
		if limit <= 0 {
			limit = 5
		}
		view.Hits = res.Hits[:min(limit, len(res.Hits))]
		return view, nil
	}
	return view, fmt.Errorf("unknown block %q", b.Kind)
}

// hubPage lists the published pages of one kind.
type hubPage struct {
	Base
	Heading, Intro string
	Pages          []pages.Page
}

func (s *Server) hub(kind pages.Kind, heading, intro string) echo.HandlerFunc {
	return func(c echo.Context) error {
		list, err := s.Pages.ListLive(c.Request().Context(), kind, 100)
		if err != nil {
			return err
		}
		page := hubPage{Base: s.base(c, heading), Heading: heading, Intro: intro, Pages: list}
		page.Description, page.Section = intro, sectionOf(kind)
		return s.render.render(c, http.StatusOK, "hub", page)
	}
}

// plainPage serves a published page of kind "page" at the top level, like
// /accessibility or /working-across-our-system.
func (s *Server) plainPage(c echo.Context) error { return s.publicPage(pages.Plain)(c) }

// relatedFor finds the area guide for a vacancy's places and the career
// pathway for its staff group.
func (s *Server) relatedFor(c echo.Context, v vacancies.Vacancy) []pages.Page {
	var places []string
	for _, l := range v.Locations {
		places = append(places, l.Name)
		if p, err := s.Gazetteer.Lookup(l.Name); err == nil && p.District != "" {
			places = append(places, p.District)
		}
	}
	guide, pathway, err := s.Pages.Related(c.Request().Context(), places, v.StaffGroup)
	if err != nil {
		s.logger.Warn("related pages", "vacancy", v.ID, "err", err)
		return nil
	}
	var list []pages.Page
	for _, p := range []*pages.Page{guide, pathway} {
		if p != nil {
			list = append(list, *p)
		}
	}
	return list
}

// campaignOf is the campaign a visitor followed to this page, if it is a
// well-formed slug.
func campaignOf(c echo.Context) string {
	campaign := strings.TrimSpace(c.QueryParam("campaign"))
	if campaign == "" || len(campaign) > 80 || strings.Trim(campaign, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
		return ""
	}
	return campaign
}
