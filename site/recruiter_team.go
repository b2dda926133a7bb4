package site

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/partners"
)

// maxLogoUpload is the largest logo file accepted; partners.SetLogo checks
// it again, with the image's type and dimensions.
const maxLogoUpload = 2 << 20

// profilePage is a partner admin's view of their public employer page.
type profilePage struct {
	recruiterBase
	Form     *form
	LogoForm *form
}

func (s *Server) profileForm(c echo.Context) error {
	p := currentPartner(c)
	f := newForm(nil, "about", "website")
	f.Values.Set("about", p.About)
	f.Values.Set("website", p.Website)
	return s.render.render(c, http.StatusOK, "recruiter-profile", profilePage{
		recruiterBase: s.recruiterBase(c, "Employer profile – "+p.Name, "profile"), Form: f, LogoForm: newForm(nil, "logo")})
}

func (s *Server) saveProfile(c echo.Context) error {
	p := currentPartner(c)
	f := newForm(mustForm(c), "about", "website")
	err := s.Partners.UpdateProfile(c.Request().Context(), p.ID, f.Trimmed("about"), f.Trimmed("website"))
	var verr partners.ValidationError
	if errors.As(err, &verr) {
		f.Merge(verr, nil)
		return s.render.render(c, http.StatusUnprocessableEntity, "recruiter-profile", profilePage{
			recruiterBase: s.recruiterBase(c, "Employer profile – "+p.Name, "profile"), Form: f, LogoForm: newForm(nil, "logo")})
	}
	if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "partner.update-profile", TargetType: "partner", TargetID: itoa64(p.ID),
		PartnerID: p.ID, Before: map[string]string{"about": p.About, "website": p.Website},
		After: map[string]string{"about": f.Trimmed("about"), "website": f.Trimmed("website")}}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+p.Slug+"/profile", "Your employer profile is saved.")
}

func (s *Server) uploadLogo(c echo.Context) error {
	p := currentPartner(c)
	logoForm := newForm(nil, "logo")
	data, err := readUpload(c, "logo", maxLogoUpload)
	if err == nil {
		err = s.Partners.SetLogo(c.Request().Context(), p.ID, data)
	}
	var verr partners.ValidationError
	var uerr uploadError
	switch {
	case errors.As(err, &verr):
		logoForm.Merge(verr, nil)
	case errors.As(err, &uerr):
		logoForm.Fail("logo", string(uerr))
	case err != nil:
		return err
	}
	if !logoForm.OK() {
		f := newForm(nil, "about", "website")
		f.Values.Set("about", p.About)
		f.Values.Set("website", p.Website)
		return s.render.render(c, http.StatusUnprocessableEntity, "recruiter-profile", profilePage{
			recruiterBase: s.recruiterBase(c, "Employer profile – "+p.Name, "profile"), Form: f, LogoForm: logoForm})
	}
	if err := s.recordAudit(c, audit.Entry{Action: "partner.upload-logo", TargetType: "partner", TargetID: itoa64(p.ID), PartnerID: p.ID}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+p.Slug+"/profile", "Your logo is uploaded.")
}

func (s *Server) removeLogo(c echo.Context) error {
	p := currentPartner(c)
	if err := s.Partners.RemoveLogo(c.Request().Context(), p.ID); err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "partner.remove-logo", TargetType: "partner", TargetID: itoa64(p.ID), PartnerID: p.ID}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+p.Slug+"/profile", "Your logo is removed.")
}

// uploadError is a message about an uploaded file, for the person.
type uploadError string

func (e uploadError) Error() string { return string(e) }

// readUpload reads one uploaded file, refusing an empty or oversized one.
func readUpload(c echo.Context, field string, limit int64) ([]byte, error) {
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, limit+64<<10)
	fh, err := c.FormFile(field)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, uploadError("The file must be smaller than " + strconv.FormatInt(limit>>20, 10) + " MB")
		}
		return nil, uploadError("Choose a file to upload")
	}
	if fh.Size > limit {
		return nil, uploadError("The file must be smaller than " + strconv.FormatInt(limit>>20, 10) + " MB")
	}
	file, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, uploadError("The file is empty")
	}
	return data, nil
}

// employerLogo serves a partner's re-encoded logo, cached by its time.
func (s *Server) employerLogo(c echo.Context) error {
	png, updated, err := s.Partners.Logo(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	etag := `"` + strconv.FormatInt(updated.UnixNano(), 36) + `"`
	h := c.Response().Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=3600")
	if c.Request().Header.Get("If-None-Match") == etag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "image/png", png)
}

// --- team ------------------------------------------------------------------

type teamPage struct {
	recruiterBase
	Members     []accounts.Member
	Invitations []accounts.Invitation
	Form        *form
	Roles       []option
}

func (s *Server) teamPage(c echo.Context, status int, f *form) error {
	p := currentPartner(c)
	members, invitations, err := s.Accounts.Members(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	if f == nil {
		f = newForm(nil, "email", "role")
		f.Values.Set("role", string(accounts.Recruiter))
	}
	return s.render.render(c, status, "recruiter-team", teamPage{
		recruiterBase: s.recruiterBase(c, "Team – "+p.Name, "team"), Members: members, Invitations: invitations, Form: f,
		Roles: []option{{Value: string(accounts.Recruiter), Label: "Recruiter: posts and manages jobs"},
			{Value: string(accounts.PartnerAdmin), Label: "Partner admin: also manages the team and the employer profile"}},
	})
}

func (s *Server) team(c echo.Context) error { return s.teamPage(c, http.StatusOK, nil) }

func (s *Server) invite(c echo.Context) error {
	ctx := c.Request().Context()
	p, u := currentPartner(c), currentUser(c)
	f := newForm(mustForm(c), "email", "role")
	role := accounts.PartnerRole(f.Value("role"))
	if role != accounts.Recruiter && role != accounts.PartnerAdmin {
		f.Fail("role", "Choose what they can do")
	}
	var token string
	if f.OK() {
		var err error
		token, err = s.Accounts.Invite(ctx, p.ID, f.Trimmed("email"), role, u.ID, inviteTTL)
		var verr accounts.ValidationError
		switch {
		case errors.As(err, &verr):
			f.Merge(verr, nil)
		case err != nil:
			return err
		}
	}
	if !f.OK() {
		return s.teamPage(c, http.StatusUnprocessableEntity, f)
	}
	roleLabel := "recruiter"
	if role == accounts.PartnerAdmin {
		roleLabel = "partner admin"
	}
	if err := s.sendMail(ctx, f.Trimmed("email"), "invitation", map[string]any{
		"PartnerName": p.Name, "InviterName": u.Name, "Role": roleLabel,
		"Link": s.link("/account/invitation?token=" + token), "Days": int(inviteTTL.Hours() / 24),
	}); err != nil {
		return &UserError{Status: http.StatusBadGateway, Message: "The invitation is saved but the e-mail could not be sent. Try inviting them again in a few minutes."}
	}
	if err := s.recordAudit(c, audit.Entry{Action: "membership.invite", TargetType: "invitation", TargetID: normaliseEmail(f.Trimmed("email")),
		PartnerID: p.ID, After: map[string]string{"email": f.Trimmed("email"), "role": string(role)}}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+p.Slug+"/team", "We have sent an invitation to "+f.Trimmed("email")+".")
}

func (s *Server) removeMember(c echo.Context) error {
	ctx := c.Request().Context()
	p, u := currentPartner(c), currentUser(c)
	userID, err := strconv.ParseInt(c.Param("user"), 10, 64)
	if err != nil {
		return echo.ErrNotFound
	}
	if userID == u.ID && !u.IsAdmin() {
		return &UserError{Status: http.StatusConflict, Message: "You cannot remove yourself. Ask another partner admin to do it."}
	}
	member, err := s.Accounts.Get(ctx, userID)
	if errors.Is(err, accounts.ErrNotFound) {
		return echo.ErrNotFound
	}
	if err != nil {
		return err
	}
	before, _ := member.Membership(p.ID)
	if err := s.Accounts.RemoveMember(ctx, userID, p.ID); errors.Is(err, accounts.ErrNotFound) {
		return echo.ErrNotFound
	} else if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "membership.remove", TargetType: "user", TargetID: itoa64(userID),
		PartnerID: p.ID, Before: before}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+p.Slug+"/team", member.Name+" no longer recruits for "+p.Name+".")
}

func (s *Server) cancelInvitation(c echo.Context) error {
	p := currentPartner(c)
	if err := s.Accounts.CancelInvitation(c.Request().Context(), p.ID, c.Param("invitation")); errors.Is(err, accounts.ErrNotFound) {
		return echo.ErrNotFound
	} else if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "membership.cancel-invite", TargetType: "invitation", TargetID: c.Param("invitation"), PartnerID: p.ID}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+p.Slug+"/team", "The invitation is cancelled.")
}
