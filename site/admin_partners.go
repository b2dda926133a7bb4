package site

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/partners"
)

// partnersAll chooses every partner, active or not.
var partnersAll = partners.ListFilter{IncludeInactive: true}

type adminPartnersPage struct {
	adminBase
	Query    string
	Partners []partners.Partner
}

func (s *Server) adminPartners(c echo.Context) error {
	page := adminPartnersPage{adminBase: s.adminBase(c, "Partners", "partners"), Query: c.QueryParam("q")}
	list, err := s.Partners.List(c.Request().Context(), partners.ListFilter{Query: page.Query, IncludeInactive: true})
	if err != nil {
		return err
	}
	page.Partners = list
	return s.render.render(c, http.StatusOK, "admin-partners", page)
}

// adminPartnerPage adds a partner (Partner.ID 0) or changes one.
type adminPartnerPage struct {
	adminBase
	Partner partners.Partner
	Form    *form
	Types   []option
}

var partnerFields = []string{"name", "slug", "type", "website", "about"}

func partnerTypes() []option {
	opts := make([]option, len(partners.Types))
	for i, t := range partners.Types {
		opts[i] = option{Value: string(t), Label: t.Label()}
	}
	return opts
}

func (s *Server) partnerPage(c echo.Context, status int, p partners.Partner, f *form) error {
	title := "Add a partner"
	if p.ID != 0 {
		title = p.Name
	}
	return s.render.render(c, status, "admin-partner", adminPartnerPage{
		adminBase: s.adminBase(c, title, "partners"), Partner: p, Form: f, Types: partnerTypes()})
}

// partnerForm reads the partner's fields from a submitted form.
func partnerFromForm(f *form) partners.Partner {
	return partners.Partner{Name: f.Trimmed("name"), Slug: f.Trimmed("slug"), Type: partners.Type(f.Value("type")),
		Website: f.Trimmed("website"), About: f.Trimmed("about")}
}

// partnerShown is what the audit log keeps of a partner: everything but
// the about text, which is long and not about access.
func partnerShown(p partners.Partner) map[string]string {
	return map[string]string{"name": p.Name, "type": string(p.Type), "website": p.Website}
}

func (s *Server) adminNewPartner(c echo.Context) error {
	return s.partnerPage(c, http.StatusOK, partners.Partner{}, newForm(nil, partnerFields...))
}

func (s *Server) adminCreatePartner(c echo.Context) error {
	f := newForm(mustForm(c), partnerFields...)
	p := partnerFromForm(f)
	id, err := s.Partners.Create(c.Request().Context(), p)
	var verr partners.ValidationError
	switch {
	case errors.As(err, &verr):
		if p.Slug == "" && verr["name"] != "" {
			delete(verr, "slug") // the slug comes from the name: one message is enough
		}
		f.Merge(verr, nil)
	case errors.Is(err, partners.ErrSlugTaken):
		f.Fail("slug", "Another partner already uses that web address name. Enter a different one")
	case err != nil:
		return err
	}
	if !f.OK() {
		return s.partnerPage(c, http.StatusUnprocessableEntity, partners.Partner{}, f)
	}
	if p.Slug == "" {
		p.Slug = partners.Slugify(p.Name)
	}
	after := partnerShown(p)
	after["slug"] = p.Slug
	if err := s.recordAudit(c, audit.Entry{Action: "partner.create", TargetType: "partner", TargetID: itoa64(id),
		PartnerID: id, After: after}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/admin/partners/"+itoa64(id),
		p.Name+" is added. Invite its recruiters from its team page, or add its feed.")
}

func (s *Server) adminPartner(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	p, err := s.Partners.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	f := newForm(nil, partnerFields...)
	f.Values.Set("name", p.Name)
	f.Values.Set("type", string(p.Type))
	f.Values.Set("website", p.Website)
	f.Values.Set("about", p.About)
	return s.partnerPage(c, http.StatusOK, p, f)
}

func (s *Server) adminUpdatePartner(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	was, err := s.Partners.Get(ctx, id)
	if err != nil {
		return err
	}
	f := newForm(mustForm(c), partnerFields...)
	p := partnerFromForm(f)
	err = s.Partners.Update(ctx, id, p)
	var verr partners.ValidationError
	if errors.As(err, &verr) {
		f.Merge(verr, nil)
		return s.partnerPage(c, http.StatusUnprocessableEntity, was, f)
	}
	if err != nil {
		return err
	}
	before, after := partnerShown(was), partnerShown(p)
	if was.About != p.About {
		before["about"], after["about"] = "(old text)", "(new text)"
	}
	if err := s.recordAudit(c, audit.Entry{Action: "partner.update", TargetType: "partner", TargetID: itoa64(id),
		PartnerID: id, Before: before, After: after}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/admin/partners/"+itoa64(id), "The changes to "+p.Name+" are saved.")
}

// adminSetPartnerActive switches a partner off or on. Switching off takes
// every one of its jobs out of search at once (the domain enqueues it).
func (s *Server) adminSetPartnerActive(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	active, err := boolParam(c, "active")
	if err != nil {
		return err
	}
	p, err := s.Partners.Get(ctx, id)
	if err != nil {
		return err
	}
	path := "/admin/partners/" + itoa64(id)
	if p.Active == active {
		return c.Redirect(http.StatusSeeOther, path)
	}
	if err := s.Partners.SetActive(ctx, id, active); err != nil {
		return err
	}
	action, message := "partner.reactivate", p.Name+" is active again. Its live jobs are going back into search."
	if !active {
		action, message = "partner.deactivate", p.Name+" is inactive. Its "+itoa(p.LiveCount)+" live "+
			plural(p.LiveCount, "job is", "jobs are")+" leaving search now."
	}
	if err := s.recordAudit(c, audit.Entry{Action: action, TargetType: "partner", TargetID: itoa64(id), PartnerID: id,
		Before: map[string]bool{"active": p.Active}, After: map[string]bool{"active": active}}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, path, message)
}
