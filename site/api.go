package site

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// apiPartner is a partner as the JSON API shows it.
type apiPartner struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
	Type string `json:"type"`
}

type apiLocation struct {
	Name     string  `json:"name"`
	Postcode string  `json:"postcode"`
	Lat      float64 `json:"lat"`
	Lon      float64 `json:"lon"`
}

type apiPay struct {
	Text   string  `json:"text"`
	Band   string  `json:"band,omitempty"`
	Min    float64 `json:"min,omitempty"`
	Max    float64 `json:"max,omitempty"`
	Period string  `json:"period,omitempty"`
}

// apiVacancy is one vacancy in the JSON API: the shape other services
// build on, so fields are only ever added.
type apiVacancy struct {
	ID               int64         `json:"id"`
	Title            string        `json:"title"`
	URL              string        `json:"url"`
	Partner          apiPartner    `json:"partner"`
	Locations        []apiLocation `json:"locations"`
	Pay              apiPay        `json:"pay"`
	StaffGroup       string        `json:"staff_group"`
	Contract         string        `json:"contract"`
	Pattern          []string      `json:"pattern"`
	HoursPerWeek     float64       `json:"hours_per_week"`
	Posted           string        `json:"posted"`
	ClosingDate      string        `json:"closing_date"`
	PassportAccepted bool          `json:"passport_accepted"`
	DistanceMiles    *float64      `json:"distance_miles,omitempty"`
	Summary          string        `json:"summary,omitempty"`
	Description      string        `json:"description,omitempty"` // markdown, on the single-vacancy endpoint
	Status           string        `json:"status,omitempty"`
}

type apiSearch struct {
	Total  int                       `json:"total"`
	Page   int                       `json:"page"`
	Pages  int                       `json:"pages"`
	Hits   []apiVacancy              `json:"hits"`
	Facets map[string]map[string]int `json:"facets"`
}

func (s *Server) apiVacancies(c echo.Context) error {
	q, err := search.ParseVacancyQuery(c.QueryParams(), s.Gazetteer)
	if pe := search.FirstParamError(err); pe != nil {
		return &UserError{Status: http.StatusBadRequest, Message: pe.Message, Parameter: pe.Parameter}
	}
	res, err := s.Search.Vacancies(c.Request().Context(), q)
	if err != nil {
		return err
	}
	out := apiSearch{Total: res.Total, Page: res.Page, Pages: res.Pages, Hits: []apiVacancy{}, Facets: map[string]map[string]int{}}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hitToAPI(h))
	}
	for _, f := range res.Facets {
		counts := map[string]int{}
		for _, v := range f.Values {
			counts[v.Value] = v.Count
		}
		out.Facets[f.Param] = counts
	}
	return c.JSON(http.StatusOK, out)
}

func hitToAPI(h search.Hit) apiVacancy {
	v := apiVacancy{
		ID: h.ID, Title: h.Title, URL: h.Path,
		Partner:    apiPartner{h.PartnerName, h.PartnerSlug, h.PartnerType},
		Pay:        apiPay{Text: h.Pay, Band: h.Band, Min: h.PayMin, Max: h.PayMax, Period: h.PayPeriod},
		StaffGroup: h.StaffGroup, Contract: h.Contract, Pattern: h.Patterns, HoursPerWeek: h.HoursPerWeek,
		Posted: h.PostedOn, ClosingDate: h.ClosingOn, PassportAccepted: h.Passport == "yes",
		DistanceMiles: h.DistanceMiles, Summary: h.Summary, Locations: []apiLocation{},
	}
	for _, l := range h.Locations {
		v.Locations = append(v.Locations, apiLocation(l))
	}
	return v
}

func (s *Server) apiVacancy(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return &UserError{Status: http.StatusBadRequest, Message: "id must be a positive whole number", Parameter: "id"}
	}
	v, err := s.Vacancies.Get(c.Request().Context(), id)
	if err == nil && !v.Public() {
		err = vacancies.ErrNotFound
	}
	if errors.Is(err, vacancies.ErrNotFound) {
		return &UserError{Status: http.StatusNotFound, Message: "no vacancy with that id", Parameter: "id"}
	} else if err != nil {
		return err
	}
	pay := v.Pay.Effective()
	out := apiVacancy{
		ID: v.ID, Title: v.Title, URL: v.Path(),
		Partner:    apiPartner{v.Partner.Name, v.Partner.Slug, string(v.Partner.Type)},
		Pay:        apiPay{Text: v.Pay.String(), Band: v.Pay.Band, Min: pay.Min, Max: pay.Max, Period: pay.Period},
		StaffGroup: v.StaffGroup, Contract: v.Contract, Pattern: v.Patterns, HoursPerWeek: v.HoursPerWeek,
		Posted: v.PostedOn.Format(time.DateOnly), ClosingDate: v.ClosingOn.Format(time.DateOnly),
		PassportAccepted: v.PassportAccepted, Description: v.Description, Status: v.Status, Locations: []apiLocation{},
	}
	if v.Status == vacancies.Live && !v.Open(s.Now()) {
		out.Status = vacancies.Closed
	}
	for _, l := range v.Locations {
		out.Locations = append(out.Locations, apiLocation(l))
	}
	return c.JSON(http.StatusOK, out)
}

type apiPartnerCount struct {
	apiPartner
	Website   string `json:"website"`
	LiveCount int    `json:"live_count"`
	URL       string `json:"url"`
}

func (s *Server) apiPartners(c echo.Context) error {
	list, err := s.Partners.ListActive(c.Request().Context())
	if err != nil {
		return err
	}
	out := []apiPartnerCount{}
	for _, p := range list {
		out = append(out, apiPartnerCount{apiPartner{p.Name, p.Slug, string(p.Type)}, p.Website, p.LiveCount, "/employers/" + p.Slug})
	}
	return c.JSON(http.StatusOK, map[string]any{"partners": out})
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz checks the service's dependencies: PostgreSQL and Meilisearch.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{"postgres": "ok", "meilisearch": "ok"}
	status := http.StatusOK
	if err := s.Pool.Ping(ctx); err != nil {
		checks["postgres"], status = err.Error(), http.StatusServiceUnavailable
	}
	if err := s.Search.Healthy(ctx); err != nil {
		checks["meilisearch"], status = err.Error(), http.StatusServiceUnavailable
	}
	body := map[string]any{"status": map[bool]string{true: "ok", false: "unavailable"}[status == http.StatusOK], "checks": checks}
	// Feeds that failed or are overdue are reported, but do not make this
	// node unready: the site itself is fine.
	if unhealthy, err := s.Feeds.Unhealthy(ctx, s.Now()); err == nil {
		body["feeds_needing_attention"] = unhealthy
	}
	return c.JSON(status, body)
}
