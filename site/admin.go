package site

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/search"
)

// The admin console: system admins add partners, manage people's access,
// watch feeds and the search index, tune synonyms and read the audit log.
// Every change it makes is recorded in the audit log.

// adminPages are the admin console's page templates.
var adminPages = []string{"admin-home", "admin-partners", "admin-partner", "admin-users", "admin-user",
	"admin-feeds", "admin-feed", "admin-search", "admin-audit"}

func (s *Server) adminRoutes(g *echo.Group) {
	g.GET("", s.adminHome)

	g.GET("/partners", s.adminPartners)
	g.GET("/partners/new", s.adminNewPartner)
	g.POST("/partners/new", s.adminCreatePartner)
	g.GET("/partners/:id", s.adminPartner)
	g.POST("/partners/:id", s.adminUpdatePartner)
	g.POST("/partners/:id/active", s.adminSetPartnerActive)

	g.GET("/users", s.adminUsers)
	g.GET("/users/:id", s.adminUser)
	g.POST("/users/:id/role", s.adminSetRole)
	g.POST("/users/:id/memberships", s.adminAddMembership)
	g.POST("/users/:id/memberships/:partner/remove", s.adminRemoveMembership)
	g.POST("/users/:id/disable", s.adminSetDisabled)
	g.POST("/users/:id/sign-out", s.adminSignOutUser)
	g.POST("/users/:id/two-factor/reset", s.adminResetTwoFactor)

	g.GET("/feeds", s.adminFeeds)
	g.GET("/feeds/:id", s.adminFeed)
	g.POST("/feeds/:id/run", s.adminRunFeed)

	g.GET("/search", s.adminSearch)
	g.POST("/search/synonyms", s.adminSaveSynonyms)
	g.POST("/search/rebuild", s.adminRebuild)

	g.GET("/audit", s.adminAudit)
}

// adminBase is the shared part of the admin pages; Tab marks the current
// link in the admin navigation.
type adminBase struct {
	Base
	Tab string
}

func (s *Server) adminBase(c echo.Context, title, tab string) adminBase {
	b := s.base(c, title)
	b.NoIndex, b.Section = true, "admin"
	return adminBase{Base: b, Tab: tab}
}

// idParam reads a positive numeric id from the URL; anything else is a
// page that does not exist.
func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// boolParam reads a hidden true/false field of a button's form.
func boolParam(c echo.Context, name string) (bool, error) {
	v, err := strconv.ParseBool(c.FormValue(name))
	if err != nil {
		return false, &UserError{Status: http.StatusBadRequest, Message: "The form was incomplete. Go back, reload the page and try again."}
	}
	return v, nil
}

// --- overview ----------------------------------------------------------------

type roleCount struct {
	Role  accounts.Role
	Count int
}

type adminHomePage struct {
	adminBase
	LiveVacancies    int
	ActivePartners   int
	InactivePartners int
	Users            []roleCount
	Unhealthy        []feedProblem
	Index            indexHealth
}

// roleLabels name the system roles for people, in the order pages list them.
var roleLabels = []struct {
	Role        accounts.Role
	Label, Hint string
}{
	{accounts.Jobseeker, "Jobseeker", "no staff pages (recruiters are jobseekers who belong to an organisation)"},
	{accounts.Editor, "Editor", "publishes the site’s content pages"},
	{accounts.Admin, "Admin", "runs the whole portal (partners, people, feeds and search) and needs two-factor sign-in"},
}

func roleLabel(r accounts.Role) string {
	for _, l := range roleLabels {
		if l.Role == r {
			return l.Label
		}
	}
	return string(r)
}

func (s *Server) adminHome(c echo.Context) error {
	ctx := c.Request().Context()
	page := adminHomePage{adminBase: s.adminBase(c, "Admin", "home")}
	counts, err := s.Vacancies.LiveCounts(ctx)
	if err != nil {
		return err
	}
	page.LiveVacancies = counts.Live
	list, err := s.Partners.List(ctx, partnersAll)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, p := range list {
		names[p.Slug] = p.Name
		if p.Active {
			page.ActivePartners++
		} else {
			page.InactivePartners++
		}
	}
	for _, r := range roleLabels {
		_, total, err := s.Accounts.List(ctx, accounts.ListFilter{Role: r.Role, PerPage: 1})
		if err != nil {
			return err
		}
		page.Users = append(page.Users, roleCount{Role: r.Role, Count: total})
	}
	unhealthy, err := s.Feeds.Unhealthy(ctx, s.Now())
	if err != nil {
		return err
	}
	for _, h := range unhealthy {
		page.Unhealthy = append(page.Unhealthy, feedProblem{FeedID: h.FeedID, Partner: names[h.Partner], Problem: h.Problem})
	}
	if page.Index, err = s.indexHealth(ctx, counts.Live); err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "admin-home", page)
}

// indexHealth compares the documents in the search index with the
// vacancies PostgreSQL says should be searchable.
type indexHealth struct {
	Available  bool // Meilisearch answered
	Documents  int
	Searchable int
	Indexing   bool
}

// InStep reports whether the index holds exactly the searchable vacancies.
func (h indexHealth) InStep() bool { return h.Available && h.Documents == h.Searchable }

// Difference is how many documents the index has too many (or too few).
func (h indexHealth) Difference() int {
	d := h.Documents - h.Searchable
	if d < 0 {
		return -d
	}
	return d
}

// Excess reports whether the index has more documents than it should.
func (h indexHealth) Excess() bool { return h.Documents > h.Searchable }

// indexHealth reads the index's document count; search being down is
// something to show, not a failed page. searchable < 0 reads the count.
func (s *Server) indexHealth(ctx context.Context, searchable int) (indexHealth, error) {
	if searchable < 0 {
		counts, err := s.Vacancies.LiveCounts(ctx)
		if err != nil {
			return indexHealth{}, err
		}
		searchable = counts.Live
	}
	h := indexHealth{Searchable: searchable}
	stats, err := s.Search.VacancyIndexStats(ctx)
	switch {
	case errors.Is(err, search.ErrUnavailable):
		return h, nil
	case err != nil:
		s.logger.Warn("read search index stats", "err", err)
		return h, nil
	}
	h.Available, h.Documents, h.Indexing = true, int(stats.Documents), stats.IsIndexing
	return h, nil
}
