// Package site is the portal's HTTP layer: Echo routes, thin handlers that
// parse input, call the domain and render a typed view model, middleware
// (security headers, CSRF, logging, metrics) and the embedded templates.
// It holds no SQL and never calls Meilisearch except through package search.
package site

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/regionalcareers/portal/content"
	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
	"github.com/regionalcareers/portal/static"
)

// SiteName is the portal's name as people see it.
const SiteName = "Cambridgeshire & Peterborough Health and Care Careers"

// Deps are what the site needs, passed in explicitly.
type Deps struct {
	Config    config.Config
	Pool      *pgxpool.Pool
	Partners  *partners.Store
	Vacancies *vacancies.Store
	Feeds     *feeds.Store
	Search    *search.Client
	Gazetteer *geo.Gazetteer
	Logger    *slog.Logger
	Now       func() time.Time // the clock; time.Now outside tests
}

// Server holds the site's dependencies and its parsed templates.
type Server struct {
	Deps
	render  *renderer
	logger  *slog.Logger
	metrics *metrics

	partnerNamesMu sync.Mutex
	partnerNames   map[string]string
	partnerNamesAt time.Time
}

// New builds the Echo application with every route. It fails if a template
// is missing or broken.
func New(deps Deps) (*echo.Echo, error) {
	r, err := newRenderer()
	if err != nil {
		return nil, err
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	s := &Server{Deps: deps, render: r, logger: deps.Logger, metrics: newMetrics()}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(middleware.RequestID())
	e.Use(logRequests(s.logger))
	e.Use(s.metrics.middleware)
	e.Use(middleware.Recover())
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 1, MinLength: 1024}))
	e.Use(s.securityHeaders)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     "__csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   deps.Config.Production(),
		CookieSameSite: http.SameSiteLaxMode,
		Skipper: func(c echo.Context) bool {
			// Read-only, cookie-less endpoints: no token cookie on them.
			p := c.Request().URL.Path
			safe := c.Request().Method == http.MethodGet || c.Request().Method == http.MethodHead
			return safe && (strings.HasPrefix(p, "/static/") || strings.HasPrefix(p, "/api/") ||
				strings.HasPrefix(p, "/feeds/") || p == "/jobs.rss" ||
				p == "/healthz" || p == "/readyz" || p == "/metrics")
		},
	}))
	pages, err := content.Pages()
	if err != nil {
		return nil, err
	}
	s.routes(e, pages)
	return e, nil
}

func (s *Server) routes(e *echo.Echo, pages []content.Page) {
	e.GET("/", s.home)
	e.GET("/jobs", s.jobs)
	e.GET("/jobs.rss", s.jobsRSS)
	e.GET("/feeds/indeed.xml", s.indeedFeed)
	e.GET("/jobs/:id", s.vacancyRedirect)
	e.GET("/jobs/:id/:slug", s.vacancy)
	e.GET("/employers", s.employers)
	e.GET("/employers/:slug", s.employer)
	for _, p := range pages {
		e.GET("/"+p.Slug, s.contentHandler(p))
	}

	api := e.Group("/api/v1")
	api.GET("/vacancies", s.apiVacancies)
	api.GET("/vacancies/:id", s.apiVacancy)
	api.GET("/partners", s.apiPartners)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(s.metrics.handler()))
	e.Match([]string{http.MethodGet, http.MethodHead}, "/static/*", echo.WrapHandler(static.Handler()))
	e.GET("/favicon.ico", func(c echo.Context) error {
		return c.Redirect(http.StatusMovedPermanently, static.URL("img/favicon.ico"))
	})
	e.GET("/robots.txt", s.robots)
	e.RouteNotFound("/*", func(echo.Context) error { return echo.ErrNotFound })
}

// base fills the shared part of every view model.
func (s *Server) base(c echo.Context, title string) Base {
	token, _ := c.Get(middleware.DefaultCSRFConfig.ContextKey).(string)
	return Base{
		Title:        title,
		Canonical:    s.Config.BaseURL + c.Request().URL.Path,
		CSRFToken:    token,
		AssetVersion: static.Version(),
		SiteName:     SiteName,
		BaseURL:      s.Config.BaseURL,
	}
}

// securityHeaders sets the headers every response carries. The CSP allows
// no inline script or style: all of it comes from /static.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "geolocation=(), camera=(), microphone=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if c.Request().TLS != nil || (s.Config.Production() && c.Request().Header.Get("X-Forwarded-Proto") == "https") {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		return next(c)
	}
}

// partnerName maps partner slugs to names for facet labels, cached for a
// minute so a search page costs no extra database query.
func (s *Server) partnerName(ctx context.Context, slug string) string {
	s.partnerNamesMu.Lock()
	defer s.partnerNamesMu.Unlock()
	if s.partnerNames == nil || time.Since(s.partnerNamesAt) > time.Minute {
		if names, err := s.Partners.Names(ctx); err == nil {
			s.partnerNames, s.partnerNamesAt = names, time.Now()
		}
	}
	if name, ok := s.partnerNames[slug]; ok {
		return name
	}
	return slug
}

func (s *Server) robots(c echo.Context) error {
	body := "User-agent: *\nDisallow: /api/\n"
	return c.String(http.StatusOK, body)
}
