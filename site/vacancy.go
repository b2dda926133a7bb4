package site

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/markdown"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/vacancies"
)

// vacancyPage is the /jobs/{id}/{slug} view model.
type vacancyPage struct {
	Base
	View    vacancyView
	Related []pages.Page // the area guide for its place, the pathway for its staff group
}

// vacancyView is an advert as jobseekers see it; recruiters' previews use
// the same view and partial.
type vacancyView struct {
	Vacancy     vacancies.Vacancy
	Body        template.HTML
	Open        bool
	StaffGroup  string
	Contract    string
	Patterns    string
	PartnerType string
	Pay         string
	Hours       string
	Preview     bool
	ApplyURL    string // through /jobs/{id}/apply when a campaign is being followed, so the click counts
}

func newVacancyView(v vacancies.Vacancy, today time.Time) vacancyView {
	view := vacancyView{
		Vacancy:     v,
		Body:        markdown.ToHTML(v.Description),
		Open:        v.Open(today),
		StaffGroup:  vacancies.StaffGroups.Label(v.StaffGroup),
		Contract:    vacancies.Contracts.Label(v.Contract),
		PartnerType: v.Partner.Type.Label(),
		Pay:         v.Pay.String(),
		Hours:       strconv.FormatFloat(v.HoursPerWeek, 'f', -1, 64) + " hours a week",
	}
	var patterns []string
	for _, p := range v.Patterns {
		patterns = append(patterns, vacancies.Patterns.Label(p))
	}
	view.Patterns = strings.Join(patterns, ", ")
	view.ApplyURL = v.ApplyURL
	return view
}

func (s *Server) loadPublicVacancy(c echo.Context) (vacancies.Vacancy, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return vacancies.Vacancy{}, vacancies.ErrNotFound
	}
	v, err := s.Vacancies.Get(c.Request().Context(), id)
	if err != nil {
		return v, err
	}
	// Drafts, scheduled roles and roles of a deactivated partner are not public.
	if !v.Public() {
		return v, vacancies.ErrNotFound
	}
	return v, nil
}

func (s *Server) vacancyRedirect(c echo.Context) error {
	v, err := s.loadPublicVacancy(c)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusMovedPermanently, v.Path())
}

func (s *Server) vacancy(c echo.Context) error {
	v, err := s.loadPublicVacancy(c)
	if err != nil {
		return err
	}
	if c.Param("slug") != v.Slug() {
		return c.Redirect(http.StatusMovedPermanently, v.Path())
	}
	page := vacancyPage{Base: s.base(c, v.Title+" – "+v.Partner.Name), View: newVacancyView(v, s.Now())}
	if campaign := campaignOf(c); campaign != "" {
		if !isPrefetch(c) {
			if err := s.Pages.CountCampaign(c.Request().Context(), campaign, "vacancy-view", c.QueryParam("utm_source")); err != nil {
				s.logger.Warn("count campaign vacancy view", "campaign", campaign, "err", err)
			}
		}
		q := url.Values{"campaign": {campaign}}
		if src := c.QueryParam("utm_source"); src != "" {
			q.Set("utm_source", src)
		}
		page.View.ApplyURL = "/jobs/" + strconv.FormatInt(v.ID, 10) + "/apply?" + q.Encode()
	}
	page.Related = s.relatedFor(c, v)
	page.Section, page.OpenGraph = "jobs", true
	page.Description = markdown.Excerpt(markdown.ToText(v.Description), 155)
	if page.View.Open {
		ld, err := jobPostingJSONLD(v, s.Config.BaseURL)
		if err != nil {
			return err
		}
		page.JSONLD = ld
	} else {
		page.Title = "Closed: " + page.Title
		page.NoIndex = true
	}
	return s.render.render(c, http.StatusOK, "vacancy", page)
}

// jobPostingJSONLD is Google's JobPosting structured data with its required
// and recommended fields.
func jobPostingJSONLD(v vacancies.Vacancy, baseURL string) (template.JS, error) {
	type address struct {
		Type       string `json:"@type"`
		Locality   string `json:"addressLocality"`
		PostalCode string `json:"postalCode,omitempty"`
		Region     string `json:"addressRegion"`
		Country    string `json:"addressCountry"`
	}
	type place struct {
		Type    string  `json:"@type"`
		Address address `json:"address"`
	}
	pay := v.Pay.Effective()
	doc := map[string]any{
		"@context":       "https://schema.org/",
		"@type":          "JobPosting",
		"title":          v.Title,
		"description":    string(markdown.ToHTML(v.Description)),
		"datePosted":     v.PostedOn.Format(time.DateOnly),
		"validThrough":   v.ClosingOn.Format(time.DateOnly) + "T23:59:59Z",
		"directApply":    v.AppliesOnPortal(),
		"url":            baseURL + v.Path(),
		"identifier":     map[string]string{"@type": "PropertyValue", "name": v.Partner.Name, "value": v.ExternalRef},
		"employmentType": employmentTypes(v),
		"hiringOrganization": map[string]string{
			"@type": "Organization", "name": v.Partner.Name, "sameAs": v.Partner.Website,
		},
	}
	var places []place
	for _, l := range v.Locations {
		places = append(places, place{Type: "Place", Address: address{Type: "PostalAddress", Locality: l.Name,
			PostalCode: l.Postcode, Region: "Cambridgeshire", Country: "GB"}})
	}
	doc["jobLocation"] = places
	if pay.Min > 0 {
		value := map[string]any{"@type": "QuantitativeValue", "minValue": pay.Min, "unitText": strings.ToUpper(pay.Period)}
		if pay.Max > pay.Min {
			value["maxValue"] = pay.Max
		} else {
			value["value"] = pay.Min
		}
		doc["baseSalary"] = map[string]any{"@type": "MonetaryAmount", "currency": "GBP", "value": value}
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return "", err
	}
	// json.Marshal escapes <, > and & so the data cannot close the script.
	return template.JS(raw), nil
}

func employmentTypes(v vacancies.Vacancy) []string {
	var types []string
	for _, p := range v.Patterns {
		switch p {
		case "full-time":
			types = append(types, "FULL_TIME")
		case "part-time", "job-share", "term-time":
			types = append(types, "PART_TIME")
		}
	}
	switch v.Contract {
	case "fixed-term", "secondment":
		types = append(types, "TEMPORARY")
	case "bank":
		types = append(types, "PER_DIEM")
	case "apprenticeship":
		types = append(types, "INTERN")
	}
	if len(types) == 0 {
		types = append(types, "OTHER")
	}
	return types
}
