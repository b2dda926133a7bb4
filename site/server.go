// Package site is the portal's HTTP layer: Echo routes, thin handlers that
// parse input, call the domain and render a typed view model, middleware
// (security headers, CSRF, logging, metrics) and the embedded templates.
// It holds no SQL and never calls Meilisearch except through package search.
package site

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/alerts"
	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/config"
	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/mail"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/profiles"
	"github.com/regionalcareers/portal/internal/ratelimit"
	"github.com/regionalcareers/portal/internal/sessionstore"
	"github.com/regionalcareers/portal/internal/synonyms"
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
	Accounts  *accounts.Store
	Sessions  *sessionstore.Store
	Audit     *audit.Store
	Limiter   *ratelimit.Limiter
	Synonyms  *synonyms.Store
	Pages     *pages.Store
	Outbox    *outbox.Outbox // admin requests (index rebuild) go through it
	Mail      *mail.Sender
	Search    *search.Client
	Gazetteer *geo.Gazetteer
	Profiles  *profiles.Store // jobseekers' profiles, passports, evidence, data export and account deletion
	Alerts    *alerts.Store
	Logger    *slog.Logger
	Now       func() time.Time // the clock; time.Now outside tests

	Applications *applications.Store // applications made on the portal
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
	// The client's address is the connection's, or X-Forwarded-For's when the
	// connection comes from a proxy on loopback or a private network (the
	// compose deployment): rate limits must not trust a header anyone can set.
	e.IPExtractor = echo.ExtractIPFromXFFHeader()
	e.HTTPErrorHandler = s.handleError
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(middleware.RequestID())
	e.Use(logRequests(s.logger))
	e.Use(s.metrics.middleware)
	e.Use(middleware.Recover())
	// Above the largest upload (evidence and editors' images, 5 MB) so the
	// form can say the file is too big rather than a bare 413.
	e.Use(middleware.BodyLimit("6M"))
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 1, MinLength: 1024}))
	e.Use(s.securityHeaders)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     "__csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   deps.Config.Production(),
		CookieSameSite: http.SameSiteLaxMode,
		ErrorHandler: func(error, echo.Context) error {
			return &UserError{Status: http.StatusForbidden, Message: "This form has expired or did not come from this site. Go back, reload the page and try again."}
		},
		Skipper: func(c echo.Context) bool {
			// Read-only, cookie-less endpoints: no token cookie on them.
			p := c.Request().URL.Path
			safe := c.Request().Method == http.MethodGet || c.Request().Method == http.MethodHead
			// POST /alerts/unsubscribe is RFC 8058 one-click unsubscribe: mail
			// clients post without a CSRF token. It changes nothing but ending
			// the alert its signed token names, and the token is the authority.
			return safe && noSession(p) || isOneClickUnsubscribe(c)
		},
	}))
	e.Use(s.loadSession)
	s.routes(e)
	return e, nil
}

func (s *Server) routes(e *echo.Echo) {
	e.GET("/", s.home)
	e.GET("/jobs", s.jobs)
	e.GET("/jobs.rss", s.jobsRSS)
	e.GET("/feeds/indeed.xml", s.indeedFeed)
	e.GET("/jobs/:id", s.vacancyRedirect)
	e.GET("/jobs/:id/:slug", s.vacancy)
	e.GET("/jobs/:id/apply", s.applyRedirect)
	e.GET("/employers", s.employers)
	e.GET("/employers/:slug", s.employer)
	e.GET("/employers/:slug/logo.png", s.employerLogo)
	e.GET("/living-here", s.hub(pages.AreaGuide, "Living here",
		"What it is like to live in Cambridgeshire and Peterborough: homes, getting around, schools and the landscape, place by place."))
	e.GET("/living-here/:slug", s.publicPage(pages.AreaGuide))
	e.GET("/careers", s.hub(pages.Pathway, "Careers",
		"How a career in health and care can grow here, across every employer in the region, from your first job to leading a team."))
	e.GET("/careers/:slug", s.publicPage(pages.Pathway))
	e.GET("/campaigns/:slug", s.publicPage(pages.Campaign))
	e.GET("/stories", s.hub(pages.Story, "Stories", "People who work in health and care across Cambridgeshire and Peterborough."))
	e.GET("/stories.rss", s.storiesRSS)
	e.GET("/stories/:slug", s.publicPage(pages.Story))
	e.GET("/search", s.siteSearch)
	e.GET("/sitemap.xml", s.sitemap)
	e.GET("/media/:id/:name", s.media)
	e.GET("/:slug", s.plainPage)

	s.accountRoutes(e.Group("/account"))
	s.jobseekerRoutes(e.Group("/account"))
	s.alertRoutes(e)
	s.applicationRoutes(e)
	recruiter := e.Group("/recruiter", s.requireStaff(func(u accounts.User) bool { return u.IsRecruiter() || u.IsAdmin() }))
	s.recruiterRoutes(recruiter)
	s.editorRoutes(e.Group("/editor", s.requireStaff(accounts.User.CanEdit)))
	s.adminRoutes(e.Group("/admin", s.requireStaff(accounts.User.IsAdmin)))

	api := e.Group("/api/v1")
	api.GET("/vacancies", s.apiVacancies)
	api.GET("/vacancies/:id", s.apiVacancy)
	api.GET("/partners", s.apiPartners)
	api.GET("/search", s.apiSiteSearch)

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
		User:         currentUser(c),
		Flash:        s.takeFlash(c),
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

func (s *Server) accountRoutes(g *echo.Group) {
	g.GET("/sign-up", s.signUpForm)
	g.POST("/sign-up", s.signUp)
	g.GET("/verify", s.verifyEmail)
	g.GET("/sign-in", s.signInForm)
	g.POST("/sign-in", s.signIn)
	g.GET("/sign-in/two-factor", s.twoFactorChallengeForm)
	g.POST("/sign-in/two-factor", s.twoFactorChallenge)
	g.POST("/sign-out", s.signOutHandler)
	g.GET("/reset", s.resetRequestForm)
	g.POST("/reset", s.resetRequest)
	g.GET("/reset/new", s.resetPasswordForm)
	g.POST("/reset/new", s.resetPassword)
	g.GET("/invitation", s.invitation)
	g.POST("/invitation", s.acceptInvitation, s.requireUser)

	g.GET("", s.accountHome, s.requireUser)
	g.GET("/name", s.changeNameForm, s.requireUser)
	g.POST("/name", s.changeName, s.requireUser)
	g.GET("/password", s.changePasswordForm, s.requireUser)
	g.POST("/password", s.changePassword, s.requireUser)
	g.POST("/sign-out-everywhere", s.signOutEverywhere, s.requireUser)
	g.GET("/two-factor", s.twoFactorPage, s.requireUser)
	g.POST("/two-factor/set-up", s.twoFactorBegin, s.requireUser)
	g.POST("/two-factor/confirm", s.twoFactorConfirm, s.requireUser)
	g.POST("/two-factor/recovery-codes", s.twoFactorRecoveryCodes, s.requireUser)
	g.POST("/two-factor/disable", s.twoFactorDisable, s.requireUser)
}

func (s *Server) recruiterRoutes(g *echo.Group) {
	g.GET("", s.recruiterHome)
	p := g.Group("/:partner", s.partnerAccess)
	p.GET("", s.recruiterDashboard)
	p.GET("/vacancies/new", s.newVacancyForm)
	p.POST("/vacancies/new", s.saveVacancy)
	p.GET("/vacancies/:id", s.recruiterVacancy)
	p.GET("/vacancies/:id/edit", s.editVacancyForm)
	p.POST("/vacancies/:id/edit", s.saveVacancy)
	p.POST("/vacancies/:id/close", s.closeVacancy)
	p.POST("/vacancies/:id/extend", s.extendVacancy)
	p.POST("/vacancies/:id/duplicate", s.duplicateVacancy)
	s.recruiterEvidenceRoute(p)

	admin := p.Group("", s.partnerAdminOnly)
	admin.GET("/profile", s.profileForm)
	admin.POST("/profile", s.saveProfile)
	admin.POST("/profile/logo", s.uploadLogo)
	admin.POST("/profile/logo/remove", s.removeLogo)
	admin.GET("/team", s.team)
	admin.POST("/team/invite", s.invite)
	admin.POST("/team/:user/remove", s.removeMember)
	admin.POST("/team/invitations/:invitation/cancel", s.cancelInvitation)
	s.recruiterApplicationRoutes(p, admin)
}

func (s *Server) robots(c echo.Context) error {
	body := "User-agent: *\nDisallow: /api/\nDisallow: /account/\nDisallow: /recruiter/\nDisallow: /editor/\nDisallow: /admin/\n"
	return c.String(http.StatusOK, body)
}
