package site

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/vacancies"
)

func (s *Server) editorRoutes(g *echo.Group) {
	g.GET("", s.editorHome)
	g.GET("/pages/new", s.editorNewPage)
	g.POST("/pages/new", s.editorSavePage)
	g.GET("/pages/:id", s.editorEditPage)
	g.POST("/pages/:id", s.editorSavePage)
	g.GET("/pages/:id/history", s.editorHistory)
	g.GET("/pages/:id/history/:n", s.editorRevision)
	g.POST("/pages/:id/history/:n/restore", s.editorRestore)
	g.GET("/media", s.editorMedia)
	g.POST("/media", s.editorUpload)
	g.GET("/campaigns", s.editorCampaigns)
}

type editorBase struct {
	Base
	Tab string
}

func (s *Server) editorBase(c echo.Context, title, tab string) editorBase {
	b := s.base(c, title)
	b.NoIndex, b.Section = true, "editor"
	return editorBase{Base: b, Tab: tab}
}

// editorListPage lists every page with its state.
type editorListPage struct {
	editorBase
	Pages      []pages.Page
	Total      int
	Kind       string
	Status     string
	Query      string
	Kinds      []option
	Statuses   []option
	Pagination pager
}

func (s *Server) editorHome(c echo.Context) error {
	page := editorListPage{editorBase: s.editorBase(c, "Pages", "pages"),
		Kind: c.QueryParam("kind"), Status: c.QueryParam("status"), Query: strings.TrimSpace(c.QueryParam("q"))}
	n, _ := strconv.Atoi(c.QueryParam("page"))
	n = max(n, 1)
	list, total, err := s.Pages.List(c.Request().Context(), pages.Filter{Kind: pages.Kind(page.Kind), Status: page.Status,
		Query: page.Query, Page: n, PerPage: 30})
	var verr pages.ValidationError
	if errors.As(err, &verr) {
		return &UserError{Status: http.StatusBadRequest, Message: "Choose a kind and status from the lists."}
	}
	if err != nil {
		return err
	}
	page.Pages, page.Total = list, total
	page.Kinds = append([]option{{Value: "", Label: "Any kind"}}, kindOptions()...)
	page.Statuses = []option{{Value: "", Label: "Any status"}, {Value: pages.Draft, Label: "Draft"},
		{Value: pages.Scheduled, Label: "Scheduled"}, {Value: pages.Published, Label: "Published"}, {Value: pages.Unpublished, Label: "Unpublished"}}
	for i := range page.Kinds {
		page.Kinds[i].Selected = page.Kinds[i].Value == page.Kind
	}
	for i := range page.Statuses {
		page.Statuses[i].Selected = page.Statuses[i].Value == page.Status
	}
	q := c.QueryParams()
	page.Pagination = newPagination(n, 30, total, func(p int) string {
		q.Set("page", itoa(p))
		return "/editor?" + q.Encode()
	})
	return s.render.render(c, http.StatusOK, "editor-home", page)
}

func kindOptions() []option {
	var opts []option
	for _, k := range pages.Kinds {
		opts = append(opts, option{Value: string(k), Label: k.Label()})
	}
	return opts
}

// pageFormPage is the page editor: the form, and a preview when asked.
type pageFormPage struct {
	editorBase
	Form        *form
	Page        pages.Page // when editing
	Editing     bool
	Kinds       []option
	StaffGroups []option
	Images      []pages.Media
	Preview     *contentPage
}

var pageFormOrder = []string{"kind", "slug", "title", "summary", "body", "places", "staff_groups", "tags", "hero_image", "hero_alt", "publish_at"}

func (s *Server) pageForm(c echo.Context, title string, f *form, p pages.Page) (pageFormPage, error) {
	images, err := s.Pages.ListMedia(c.Request().Context(), 50)
	if err != nil {
		return pageFormPage{}, err
	}
	return pageFormPage{editorBase: s.editorBase(c, title, "pages"), Form: f, Page: p, Editing: p.ID != 0,
		Kinds: kindOptions(), StaffGroups: termOptions(vacancies.StaffGroups, ""), Images: images}, nil
}

func (s *Server) editorNewPage(c echo.Context) error {
	f := newForm(nil, pageFormOrder...)
	kind := c.QueryParam("kind")
	if !slices.ContainsFunc(pages.Kinds, func(k pages.Kind) bool { return string(k) == kind }) {
		kind = string(pages.Campaign)
	}
	f.Values.Set("kind", kind)
	page, err := s.pageForm(c, "New page", f, pages.Page{})
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "editor-page", page)
}

func (s *Server) loadEditorPage(c echo.Context) (pages.Page, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return pages.Page{}, echo.ErrNotFound
	}
	p, err := s.Pages.Get(c.Request().Context(), id)
	if errors.Is(err, pages.ErrNotFound) {
		return p, echo.ErrNotFound
	}
	return p, err
}

func (s *Server) editorEditPage(c echo.Context) error {
	p, err := s.loadEditorPage(c)
	if err != nil {
		return err
	}
	page, err := s.pageForm(c, "Edit "+p.Title, pageToForm(p), p)
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "editor-page", page)
}

func pageToForm(p pages.Page) *form {
	f := newForm(nil, pageFormOrder...)
	set := f.Values.Set
	set("kind", string(p.Kind))
	set("slug", p.Slug)
	set("title", p.Title)
	set("summary", p.Summary)
	set("body", p.Body)
	set("places", strings.Join(p.Places, ", "))
	f.Values["staff_groups"] = slices.Clone(p.StaffGroups)
	set("tags", strings.Join(p.Tags, ", "))
	set("hero_image", p.HeroImage)
	set("hero_alt", p.HeroAlt)
	if !p.PublishAt.IsZero() {
		f.SetDate("publish_at", p.PublishAt.In(ukTime))
		set("publish_time", p.PublishAt.In(ukTime).Format("15:04"))
	}
	return f
}

func splitList(text string) []string {
	var list []string
	for part := range strings.SplitSeq(text, ",") {
		if part = strings.TrimSpace(part); part != "" {
			list = append(list, part)
		}
	}
	return list
}

// editorSavePage handles the editor's buttons: preview, save as draft,
// publish, schedule and unpublish.
func (s *Server) editorSavePage(c echo.Context) error {
	var existing pages.Page
	if c.Param("id") != "" {
		var err error
		if existing, err = s.loadEditorPage(c); err != nil {
			return err
		}
	}
	f := newForm(mustForm(c), pageFormOrder...)
	p := existing
	if p.ID == 0 {
		p.Kind = pages.Kind(f.Value("kind"))
		p.Slug = f.Trimmed("slug")
	}
	p.Title, p.Summary = f.Trimmed("title"), f.Trimmed("summary")
	p.Body = strings.ReplaceAll(f.Value("body"), "\r\n", "\n")
	p.Places, p.StaffGroups, p.Tags = splitList(f.Value("places")), f.Values["staff_groups"], splitList(strings.ToLower(f.Value("tags")))
	p.HeroImage, p.HeroAlt = f.Trimmed("hero_image"), f.Trimmed("hero_alt")
	title := "New page"
	if existing.ID != 0 {
		title = "Edit " + existing.Title
	}
	page, err := s.pageForm(c, title, f, existing)
	if err != nil {
		return err
	}
	action := pages.Action{Kind: f.Value("action")}
	switch action.Kind {
	case "preview":
		preview := s.newContentPage(c, p, true)
		page.Preview = &preview
		return s.render.render(c, http.StatusOK, "editor-page", page)
	case "draft", "publish", "unpublish":
	case "schedule":
		action.At = s.scheduleTime(f)
	default:
		return &UserError{Status: http.StatusBadRequest, Message: "Choose what to do with the page: preview, save as draft, publish, schedule or unpublish."}
	}
	if f.OK() {
		id, err := s.Pages.Save(c.Request().Context(), currentUser(c).ID, p, action)
		var verr pages.ValidationError
		switch {
		case errors.As(err, &verr):
			f.Merge(verr, nil)
		case errors.Is(err, pages.ErrSlugTaken):
			f.Fail("slug", "Another page of this kind already uses this web address. Choose another.")
		case err != nil:
			return err
		default:
			return s.afterPageSave(c, existing, p, id, action)
		}
	}
	return s.render.render(c, http.StatusUnprocessableEntity, "editor-page", page)
}

func (s *Server) afterPageSave(c echo.Context, before, after pages.Page, id int64, action pages.Action) error {
	var was any
	if before.ID != 0 {
		was = map[string]any{"title": before.Title, "status": before.Status, "slug": before.Slug}
	}
	if err := s.recordAudit(c, audit.Entry{Action: "page." + action.Kind, TargetType: "page", TargetID: itoa64(id),
		Before: was, After: map[string]any{"title": after.Title, "kind": after.Kind, "slug": after.Slug}}); err != nil {
		return err
	}
	flash := map[string]string{
		"draft":     "Your draft is saved.",
		"publish":   "The page is published at " + after.Path() + ". Site search has it within seconds.",
		"unpublish": "The page is unpublished: the public no longer sees it.",
	}[action.Kind]
	if action.Kind == "schedule" {
		flash = "The page is scheduled. It goes live on " + action.At.In(ukTime).Format("2 January 2006 at 15:04") + "."
	}
	return s.redirectWithFlash(c, "/editor/pages/"+itoa64(id), flash)
}

// historyPage lists a page's revisions; revisionPage shows one against
// the one before it.
type historyPage struct {
	editorBase
	Page      pages.Page
	Revisions []pages.Revision
	Revision  pages.Revision
	Previous  int
	Diff      []pages.DiffLine
}

func (s *Server) editorHistory(c echo.Context) error {
	p, err := s.loadEditorPage(c)
	if err != nil {
		return err
	}
	revs, err := s.Pages.Revisions(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "editor-history", historyPage{
		editorBase: s.editorBase(c, "History of "+p.Title, "pages"), Page: p, Revisions: revs})
}

func (s *Server) editorRevision(c echo.Context) error {
	p, err := s.loadEditorPage(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n <= 0 {
		return echo.ErrNotFound
	}
	ctx := c.Request().Context()
	rev, err := s.Pages.Revision(ctx, p.ID, n)
	if errors.Is(err, pages.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	page := historyPage{editorBase: s.editorBase(c, "Revision "+itoa(n)+" of "+p.Title, "pages"), Page: p, Revision: rev}
	older := ""
	if n > 1 {
		prev, err := s.Pages.Revision(ctx, p.ID, n-1)
		if err != nil && !errors.Is(err, pages.ErrNotFound) {
			return err
		}
		older, page.Previous = revisionText(prev), n-1
	}
	page.Diff = pages.Diff(older, revisionText(rev))
	return s.render.render(c, http.StatusOK, "editor-revision", page)
}

// revisionText is a revision as one text, so a diff shows every field.
func revisionText(r pages.Revision) string {
	if r.Number == 0 {
		return ""
	}
	return "Title: " + r.Title + "\nSummary: " + r.Summary + "\nPlaces: " + strings.Join(r.Places, ", ") +
		"\nStaff groups: " + strings.Join(r.StaffGroups, ", ") + "\nTags: " + strings.Join(r.Tags, ", ") +
		"\nImage: " + r.HeroImage + " (" + r.HeroAlt + ")\n\n" + r.Body
}

func (s *Server) editorRestore(c echo.Context) error {
	p, err := s.loadEditorPage(c)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Param("n"))
	if err != nil || n <= 0 {
		return echo.ErrNotFound
	}
	if err := s.Pages.Restore(c.Request().Context(), currentUser(c).ID, p.ID, n); errors.Is(err, pages.ErrNotFound) {
		return echo.ErrNotFound
	} else if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "page.restore", TargetType: "page", TargetID: itoa64(p.ID),
		After: map[string]any{"restored_revision": n}}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/editor/pages/"+itoa64(p.ID), "Revision "+itoa(n)+" is restored as the newest version.")
}

// mediaPage lists uploaded images and takes new ones.
type mediaPage struct {
	editorBase
	Form   *form
	Images []pages.Media
}

func (s *Server) editorMediaPage(c echo.Context, status int, f *form) error {
	images, err := s.Pages.ListMedia(c.Request().Context(), 100)
	if err != nil {
		return err
	}
	return s.render.render(c, status, "editor-media", mediaPage{editorBase: s.editorBase(c, "Images", "media"), Form: f, Images: images})
}

func (s *Server) editorMedia(c echo.Context) error {
	return s.editorMediaPage(c, http.StatusOK, newForm(nil, "image", "alt"))
}

const maxImageUpload = 5 << 20

func (s *Server) editorUpload(c echo.Context) error {
	data, err := readUpload(c, "image", maxImageUpload)
	f := newForm(mustForm(c), "image", "alt")
	var uerr uploadError
	if errors.As(err, &uerr) {
		f.Fail("image", string(uerr))
	} else if err != nil {
		return err
	}
	if strings.TrimSpace(f.Value("alt")) == "" {
		f.Fail("alt", "Describe the image for people who cannot see it")
	}
	if f.OK() {
		name := "image"
		if fh, err := c.FormFile("image"); err == nil {
			name = fh.Filename
		}
		m, err := s.Pages.SaveImage(c.Request().Context(), currentUser(c).ID, name, data, f.Trimmed("alt"))
		var verr pages.ValidationError
		switch {
		case errors.As(err, &verr):
			f.Merge(verr, nil)
		case err != nil:
			return err
		default:
			if err := s.recordAudit(c, audit.Entry{Action: "media.upload", TargetType: "media", TargetID: itoa64(m.ID),
				After: map[string]any{"name": m.Name, "alt": m.Alt}}); err != nil {
				return err
			}
			return s.redirectWithFlash(c, "/editor/media", "The image is uploaded. Use "+m.URL()+" as a page's image, or in markdown.")
		}
	}
	return s.editorMediaPage(c, http.StatusUnprocessableEntity, f)
}

// campaignsPage is the campaign report: first-party, aggregate counts.
type campaignsPage struct {
	editorBase
	Rows     []pages.CampaignRow
	From, To time.Time
	Days     int
}

func (s *Server) editorCampaigns(c echo.Context) error {
	days, _ := strconv.Atoi(c.QueryParam("days"))
	if days != 7 && days != 90 && days != 365 {
		days = 30
	}
	to := s.Now()
	from := to.AddDate(0, 0, -days)
	rows, err := s.Pages.CampaignReport(c.Request().Context(), from, to)
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "editor-campaigns", campaignsPage{
		editorBase: s.editorBase(c, "Campaigns", "campaigns"), Rows: rows, From: from, To: to, Days: days})
}
