package site

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/synonyms"
)

// adminSearchPage is the search index's health, the synonym groups as
// text, and the rebuild button.
type adminSearchPage struct {
	adminBase
	Index    indexHealth
	Synonyms string       // the text in the box: stored, or as submitted
	Problems []string     // what is wrong with a submitted text, by line
	Summary  []fieldError // the same, for the error summary
	Groups   int          // stored groups
}

func (s *Server) searchPage(c echo.Context, status int, text string, problems []string) error {
	ctx := c.Request().Context()
	stored, err := s.Synonyms.Groups(ctx)
	if err != nil {
		return err
	}
	page := adminSearchPage{adminBase: s.adminBase(c, "Search", "search"), Synonyms: text, Problems: problems,
		Groups: len(stored)}
	if problems == nil {
		page.Synonyms = synonyms.Format(stored)
	}
	for _, p := range problems {
		page.Summary = append(page.Summary, fieldError{Field: "synonyms", Message: p})
	}
	if page.Index, err = s.indexHealth(ctx, -1); err != nil {
		return err
	}
	return s.render.render(c, status, "admin-search", page)
}

func (s *Server) adminSearch(c echo.Context) error { return s.searchPage(c, http.StatusOK, "", nil) }

// adminSaveSynonyms replaces every group with the submitted text. The
// store enqueues their application to the index in the same transaction,
// so they reach search even when it is down now.
func (s *Server) adminSaveSynonyms(c echo.Context) error {
	ctx := c.Request().Context()
	text := c.FormValue("synonyms")
	groups, problems := synonyms.Parse(text)
	if len(problems) > 0 {
		return s.searchPage(c, http.StatusUnprocessableEntity, text, problems)
	}
	before, err := s.Synonyms.Groups(ctx)
	if err != nil {
		return err
	}
	err = s.Synonyms.Replace(ctx, groups)
	var invalid synonyms.ValidationError
	if errors.As(err, &invalid) {
		return s.searchPage(c, http.StatusUnprocessableEntity, text, invalid)
	} else if err != nil {
		return err
	}
	removed, added := lineChanges(before, groups)
	if err := s.recordAudit(c, audit.Entry{Action: "search.update-synonyms", TargetType: "search", TargetID: "synonyms",
		Before: map[string][]string{"groups": removed}, After: map[string][]string{"groups": added}}); err != nil {
		return err
	}
	message := "The synonyms are saved. Search starts using them within a minute."
	if s.Search.Healthy(ctx) != nil {
		message = "The synonyms are saved. Search is not answering at the moment: it starts using them as soon as it is back."
	}
	return s.redirectWithFlash(c, "/admin/search", message)
}

// lineChanges lists the groups, as lines of the text form, that only
// before has and that only after has.
func lineChanges(before, after [][]string) (removed, added []string) {
	lines := func(groups [][]string) []string {
		out := make([]string, len(groups))
		for i, g := range groups {
			out[i] = strings.Join(g, ", ")
		}
		return out
	}
	was, now := lines(before), lines(after)
	for _, l := range was {
		if !slices.Contains(now, l) {
			removed = append(removed, l)
		}
	}
	for _, l := range now {
		if !slices.Contains(was, l) {
			added = append(added, l)
		}
	}
	return removed, added
}

// adminRebuild asks for the index to be rebuilt from PostgreSQL into a new
// index that replaces the old one when full; search keeps answering.
func (s *Server) adminRebuild(c echo.Context) error {
	if err := s.Outbox.RequestRebuild(c.Request().Context()); err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "search.rebuild", TargetType: "search", TargetID: "vacancies"}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/admin/search", "The rebuild has started. Search keeps answering from the current index "+
		"until the new one is full, then switches to it. Reload this page to see the counts.")
}
