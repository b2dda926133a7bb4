package site

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html/template"
	"image/png"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/pquerna/otp"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/sessionstore"
)

// settingsPage is /account and the forms under it.
type settingsPage struct {
	Base
	Account       accounts.User
	Form          *form
	Devices       []sessionstore.Device
	RecoveryLeft  int
	Secret        string       // two-factor set-up: the key to type in
	QRCode        template.URL // two-factor set-up: the same key as a QR code image
	RecoveryCodes []string     // shown once, after set-up or renewal
}

func (s *Server) settingsBase(c echo.Context, title string) settingsPage {
	return settingsPage{Base: s.accountBase(c, title), Account: *currentUser(c), Form: newForm(nil)}
}

func (s *Server) accountHome(c echo.Context) error {
	ctx := c.Request().Context()
	page := s.settingsBase(c, "Your account")
	devices, err := s.Sessions.Devices(ctx, page.Account.ID, currentSession(c))
	if err != nil {
		return err
	}
	page.Devices = devices
	if page.Account.TOTPEnabled {
		if page.RecoveryLeft, err = s.Accounts.RecoveryCodesLeft(ctx, page.Account.ID); err != nil {
			return err
		}
	}
	return s.render.render(c, http.StatusOK, "account", page)
}

func (s *Server) changeNameForm(c echo.Context) error {
	page := s.settingsBase(c, "Change your name")
	page.Form.Values.Set("name", page.Account.Name)
	return s.render.render(c, http.StatusOK, "account-name", page)
}

func (s *Server) changeName(c echo.Context) error {
	page := s.settingsBase(c, "Change your name")
	page.Form = newForm(mustForm(c), "name")
	err := s.Accounts.UpdateName(c.Request().Context(), page.Account.ID, page.Form.Trimmed("name"))
	var verr accounts.ValidationError
	if errors.As(err, &verr) {
		page.Form.Merge(verr, nil)
		return s.render.render(c, http.StatusUnprocessableEntity, "account-name", page)
	}
	if err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/account", "Your name has been changed.")
}

func (s *Server) changePasswordForm(c echo.Context) error {
	return s.render.render(c, http.StatusOK, "account-password", s.settingsBase(c, "Change your password"))
}

// changePassword also ends every other session: whoever else might have
// been signed in is signed out.
func (s *Server) changePassword(c echo.Context) error {
	ctx := c.Request().Context()
	page := s.settingsBase(c, "Change your password")
	f := newForm(mustForm(c), "current_password", "new_password", "confirm")
	page.Form = f
	if f.Value("confirm") != f.Value("new_password") {
		f.Fail("confirm", "The new passwords do not match")
	}
	if f.OK() {
		err := s.Accounts.ChangePassword(ctx, page.Account.ID, f.Value("current_password"), f.Value("new_password"))
		var verr accounts.ValidationError
		switch {
		case errors.Is(err, accounts.ErrBadCredentials):
			f.Fail("current_password", "Your current password is not right")
		case errors.As(err, &verr):
			f.Merge(verr, nil)
		case err != nil:
			return err
		}
	}
	if !f.OK() {
		return s.render.render(c, http.StatusUnprocessableEntity, "account-password", page)
	}
	if _, err := s.Sessions.RevokeUser(ctx, page.Account.ID, currentSession(c)); err != nil {
		return err
	}
	if err := s.Sessions.Renew(c.Request(), c.Response(), currentSession(c)); err != nil {
		return err
	}
	s.mailPasswordChanged(ctx, page.Account)
	return s.redirectWithFlash(c, "/account", "Your password has been changed. You have been signed out everywhere else.")
}

func (s *Server) signOutEverywhere(c echo.Context) error {
	if _, err := s.Sessions.RevokeUser(c.Request().Context(), currentUser(c).ID, nil); err != nil {
		return err
	}
	if err := s.signOut(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/sign-in?signed-out=all")
}

func (s *Server) redirectWithFlash(c echo.Context, to, message string) error {
	if err := s.setFlash(c, message); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// --- two-factor ----------------------------------------------------------

func (s *Server) twoFactorPage(c echo.Context) error {
	page := s.settingsBase(c, "Two-factor sign-in")
	if page.Account.TOTPEnabled {
		left, err := s.Accounts.RecoveryCodesLeft(c.Request().Context(), page.Account.ID)
		if err != nil {
			return err
		}
		page.RecoveryLeft = left
	}
	return s.render.render(c, http.StatusOK, "two-factor", page)
}

// twoFactorBegin makes a new secret and shows it for the app to scan.
func (s *Server) twoFactorBegin(c echo.Context) error {
	page := s.settingsBase(c, "Set up two-factor sign-in")
	if page.Account.TOTPEnabled {
		return c.Redirect(http.StatusSeeOther, "/account/two-factor")
	}
	secret, url, err := s.Accounts.BeginTwoFactor(c.Request().Context(), page.Account.ID, SiteName)
	if err != nil {
		return err
	}
	if err := page.showSecret(secret, url); err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "two-factor-set-up", page)
}

func (p *settingsPage) showSecret(secret, url string) error {
	key, err := otp.NewKeyFromURL(url)
	if err != nil {
		return err
	}
	img, err := key.Image(200, 200)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	p.Secret = secret
	p.QRCode = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes()))
	return nil
}

func (s *Server) twoFactorConfirm(c echo.Context) error {
	ctx := c.Request().Context()
	page := s.settingsBase(c, "Set up two-factor sign-in")
	page.Form = newForm(mustForm(c), "code")
	codes, err := s.Accounts.ConfirmTwoFactor(ctx, page.Account.ID, page.Form.Trimmed("code"))
	switch {
	case errors.Is(err, accounts.ErrTwoFactorEnabled):
		return c.Redirect(http.StatusSeeOther, "/account/two-factor")
	case errors.Is(err, accounts.ErrTwoFactorNotEnabled):
		return s.redirectWithFlash(c, "/account/two-factor", "Your set-up had not started or was replaced. Start it again.")
	}
	if errors.Is(err, accounts.ErrBadCode) {
		page.Form.Fail("code", "Enter the 6-digit code your authenticator app shows now")
		secret := page.Form.Value("secret")
		if err := page.showSecret(secret, totpURL(secret, page.Account.Email)); err != nil {
			return err
		}
		return s.render.render(c, http.StatusUnprocessableEntity, "two-factor-set-up", page)
	}
	if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "two-factor.enable", TargetType: "user", TargetID: itoa64(page.Account.ID)}); err != nil {
		return err
	}
	s.mailTwoFactorChanged(c, page.Account, true)
	page.Title, page.RecoveryCodes = "Save your recovery codes", codes
	page.Flash = "Two-factor sign-in is on."
	return s.render.render(c, http.StatusOK, "recovery-codes", page)
}

func totpURL(secret, email string) string {
	return "otpauth://totp/" + queryEscape(SiteName) + ":" + queryEscape(email) + "?secret=" + queryEscape(secret) +
		"&issuer=" + queryEscape(SiteName) + "&algorithm=SHA1&digits=6&period=30"
}

func (s *Server) twoFactorRecoveryCodes(c echo.Context) error {
	page := s.settingsBase(c, "Save your recovery codes")
	if !page.Account.TOTPEnabled {
		return c.Redirect(http.StatusSeeOther, "/account/two-factor")
	}
	codes, err := s.Accounts.RegenerateRecoveryCodes(c.Request().Context(), page.Account.ID)
	if err != nil {
		return err
	}
	page.RecoveryCodes = codes
	page.Flash = "Your old recovery codes no longer work."
	return s.render.render(c, http.StatusOK, "recovery-codes", page)
}

// twoFactorDisable turns two-factor sign-in off, after the password, for
// people whose role does not require it.
func (s *Server) twoFactorDisable(c echo.Context) error {
	ctx := c.Request().Context()
	page := s.settingsBase(c, "Two-factor sign-in")
	page.Form = newForm(mustForm(c), "password")
	if page.Account.NeedsTwoFactor() {
		page.Form.Fail("password", "Your role needs two-factor sign-in, so it cannot be turned off")
		return s.render.render(c, http.StatusUnprocessableEntity, "two-factor", page)
	}
	if _, err := s.Accounts.Authenticate(ctx, page.Account.Email, page.Form.Value("password")); err != nil {
		if !errors.Is(err, accounts.ErrBadCredentials) {
			return err
		}
		page.Form.Fail("password", "Your password is not right")
		return s.render.render(c, http.StatusUnprocessableEntity, "two-factor", page)
	}
	if err := s.Accounts.DisableTwoFactor(ctx, page.Account.ID); err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "two-factor.disable", TargetType: "user", TargetID: itoa64(page.Account.ID)}); err != nil {
		return err
	}
	s.mailTwoFactorChanged(c, page.Account, false)
	return s.redirectWithFlash(c, "/account/two-factor", "Two-factor sign-in is off.")
}

func (s *Server) mailTwoFactorChanged(c echo.Context, u accounts.User, enabled bool) {
	_ = s.sendMail(c.Request().Context(), u.Email, "two-factor-changed", map[string]any{
		"Name": u.Name, "Enabled": enabled, "When": s.Now(),
	})
}

// --- invitations -----------------------------------------------------------

type invitationPage struct {
	Base
	Invitation accounts.Invitation
	Token      string
	WrongUser  bool
	Next       string
}

func (s *Server) invitation(c echo.Context) error {
	token := c.QueryParam("token")
	inv, err := s.Accounts.LookupInvitation(c.Request().Context(), token)
	if errors.Is(err, accounts.ErrInvitationInvalid) {
		return s.notice(c, http.StatusGone, "This invitation has expired or has been used", []string{
			"Invitations last 7 days and work once. Ask your organisation's partner admin to invite you again.",
		})
	}
	if err != nil {
		return err
	}
	page := invitationPage{Base: s.accountBase(c, "Join "+inv.PartnerName), Invitation: inv, Token: token,
		Next: "/account/invitation?token=" + token}
	if u := currentUser(c); u != nil && normaliseEmail(u.Email) != normaliseEmail(inv.Email) {
		page.WrongUser = true
	}
	return s.render.render(c, http.StatusOK, "invitation", page)
}

func (s *Server) acceptInvitation(c echo.Context) error {
	u := currentUser(c)
	token := c.FormValue("token")
	m, err := s.Accounts.AcceptInvitation(c.Request().Context(), token, u.ID)
	if errors.Is(err, accounts.ErrInvitationInvalid) {
		return s.notice(c, http.StatusGone, "This invitation cannot be used", []string{
			"It has expired, has been used, or was sent to a different e-mail address from the one you signed in with.",
		})
	}
	if err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "membership.accept", TargetType: "user", TargetID: itoa64(u.ID),
		PartnerID: m.PartnerID, After: m}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/recruiter/"+m.PartnerSlug, "You have joined "+m.PartnerName+".")
}

// recordAudit writes one audit entry for the signed-in user.
func (s *Server) recordAudit(c echo.Context, e audit.Entry) error {
	if u := currentUser(c); u != nil {
		e.ActorID, e.ActorEmail = u.ID, u.Email
	}
	e.IP = c.RealIP()
	return audit.Record(c.Request().Context(), s.Pool, e)
}
