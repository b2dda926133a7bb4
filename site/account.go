package site

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/mail"
	"github.com/regionalcareers/portal/internal/ratelimit"
)

// How long e-mailed links last.
const (
	verifyLinkTTL = 24 * time.Hour
	resetLinkTTL  = time.Hour
	inviteTTL     = 7 * 24 * time.Hour
)

// Rate limits on the doors people knock on: per address the request came
// from and per account, shared by every web node through PostgreSQL.
var (
	limitSignInIP      = ratelimit.Rule{Name: "sign-in-ip", Limit: 30, Window: 15 * time.Minute}
	limitSignInAccount = ratelimit.Rule{Name: "sign-in-account", Limit: 10, Window: 15 * time.Minute}
	limitSignUpIP      = ratelimit.Rule{Name: "sign-up-ip", Limit: 10, Window: time.Hour}
	limitResetIP       = ratelimit.Rule{Name: "reset-ip", Limit: 10, Window: time.Hour}
	limitResetAccount  = ratelimit.Rule{Name: "reset-account", Limit: 3, Window: time.Hour}
	limitVerifyAccount = ratelimit.Rule{Name: "verify-account", Limit: 5, Window: time.Hour}
	limitVerifyIP      = ratelimit.Rule{Name: "verify-ip", Limit: 30, Window: time.Hour}
	limitTwoFactor     = ratelimit.Rule{Name: "two-factor-account", Limit: 10, Window: 15 * time.Minute}
)

// allow checks rules in turn; a refused one becomes a 429 message written
// for people. Keys are "" for rules that do not apply to this request.
func (s *Server) allow(c echo.Context, checks ...rateCheck) (string, error) {
	for _, check := range checks {
		if check.key == "" {
			continue
		}
		ok, retry, err := s.Limiter.Allow(c.Request().Context(), check.rule, check.key)
		if err != nil {
			return "", err
		}
		if !ok {
			minutes := int(retry.Minutes()) + 1
			c.Response().Header().Set("Retry-After", itoa(int(retry.Seconds())+1))
			return "Too many attempts. Wait " + itoa(minutes) + " " + plural(minutes, "minute", "minutes") + " and try again.", nil
		}
	}
	return "", nil
}

type rateCheck struct {
	rule ratelimit.Rule
	key  string
}

// accountPage is the view model of the account forms.
type accountPage struct {
	Base
	Form       *form
	Next       string
	Token      string
	Notice     string // a neutral message above the form
	Heading    string
	Paragraphs []string
	Links      []navLink
}

func (s *Server) accountBase(c echo.Context, title string) Base {
	b := s.base(c, title)
	b.NoIndex = true
	b.Section = "account"
	return b
}

func (s *Server) renderAccount(c echo.Context, status int, template string, page accountPage) error {
	if status == http.StatusOK && page.Form != nil && !page.Form.OK() {
		status = http.StatusUnprocessableEntity
	}
	return s.render.render(c, status, template, page)
}

// notice shows a page with a heading and some plain paragraphs.
func (s *Server) notice(c echo.Context, status int, heading string, paragraphs []string, links ...navLink) error {
	return s.render.render(c, status, "notice", accountPage{Base: s.accountBase(c, heading), Heading: heading,
		Paragraphs: paragraphs, Links: links})
}

// sendMail renders a template and sends it. A failure is logged and
// reported to the caller, who decides what the person is told.
func (s *Server) sendMail(ctx context.Context, to, template string, data any) error {
	subject, text, err := mail.Render(template, data)
	if err != nil {
		s.logger.Error("render mail", "template", template, "err", err)
		return err
	}
	if err := s.Mail.Send(ctx, mail.Message{To: to, Subject: subject, Text: text}); err != nil {
		s.logger.Error("send mail", "template", template, "err", err)
		return err
	}
	return nil
}

func (s *Server) link(path string) string { return s.Config.BaseURL + path }

// --- sign up -----------------------------------------------------------

func (s *Server) signUpForm(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/account")
	}
	return s.renderAccount(c, http.StatusOK, "sign-up", accountPage{Base: s.accountBase(c, "Create an account"),
		Form: newForm(nil), Next: safeNext(c.QueryParam("next"), "")})
}

func (s *Server) signUp(c echo.Context) error {
	f := newForm(mustForm(c), "name", "email", "password")
	page := accountPage{Base: s.accountBase(c, "Create an account"), Form: f, Next: safeNext(f.Value("next"), "")}
	email, name, password := f.Trimmed("email"), f.Trimmed("name"), f.Value("password")
	if msg, err := s.allow(c, rateCheck{limitSignUpIP, c.RealIP()}); err != nil || msg != "" {
		page.Notice = msg
		return s.rendered(c, http.StatusTooManyRequests, "sign-up", page, err)
	}
	u, err := s.Accounts.SignUp(c.Request().Context(), email, name, password)
	var verr accounts.ValidationError
	switch {
	case errors.As(err, &verr):
		f.Merge(verr, nil)
		return s.renderAccount(c, http.StatusOK, "sign-up", page)
	case errors.Is(err, accounts.ErrEmailTaken):
		// Say the same as for a new address; tell the owner by e-mail instead.
		existing, err := s.Accounts.ByEmail(c.Request().Context(), email)
		if err != nil {
			return err
		}
		_ = s.sendMail(c.Request().Context(), existing.Email, "account-exists", map[string]any{
			"Name": existing.Name, "SignInLink": s.link("/account/sign-in"), "ResetLink": s.link("/account/reset"),
		})
	case err != nil:
		return err
	default:
		if err := s.sendVerification(c.Request().Context(), u, page.Next); err != nil {
			return err
		}
	}
	return s.notice(c, http.StatusOK, "Check your e-mail", []string{
		"We have sent a link to " + email + ". Open it within 24 hours to confirm your address, then sign in.",
		"If it has not arrived in a few minutes, check your spam folder.",
	}, navLink{URL: "/account/sign-in", Label: "Sign in"})
}

func (s *Server) sendVerification(ctx context.Context, u accounts.User, next string) error {
	token, err := s.Accounts.NewToken(ctx, u.ID, accounts.VerifyEmail, verifyLinkTTL)
	if err != nil {
		return err
	}
	link := "/account/verify?token=" + token
	if next != "" {
		link += "&next=" + queryEscape(next)
	}
	_ = s.sendMail(ctx, u.Email, "verify-email", map[string]any{"Name": u.Name, "Link": s.link(link), "Hours": 24})
	return nil
}

// verifyEmail confirms an address from the e-mailed link. Mail scanners
// that open links early only confirm the address, which is harmless.
func (s *Server) verifyEmail(c echo.Context) error {
	if msg, err := s.allow(c, rateCheck{limitVerifyIP, c.RealIP()}); err != nil || msg != "" {
		if err != nil {
			return err
		}
		return s.notice(c, http.StatusTooManyRequests, "Too many attempts", []string{msg})
	}
	id, err := s.Accounts.UseToken(c.Request().Context(), c.QueryParam("token"), accounts.VerifyEmail)
	if errors.Is(err, accounts.ErrTokenInvalid) {
		return s.notice(c, http.StatusGone, "This link has expired or has been used", []string{
			"Sign in with your e-mail address and password: if your address still needs confirming, we will send a new link.",
		}, navLink{URL: "/account/sign-in", Label: "Sign in"})
	}
	if err != nil {
		return err
	}
	if err := s.Accounts.MarkEmailVerified(c.Request().Context(), id); err != nil {
		return err
	}
	if err := s.setFlash(c, "Your e-mail address is confirmed. You can now sign in."); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/sign-in"+nextQuery(safeNext(c.QueryParam("next"), "")))
}

// --- sign in -----------------------------------------------------------

func (s *Server) signInForm(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next"), "/account"))
	}
	page := accountPage{Base: s.accountBase(c, "Sign in"), Form: newForm(nil), Next: safeNext(c.QueryParam("next"), "")}
	if c.QueryParam("signed-out") != "" {
		page.Notice = "You have signed out."
	}
	return s.renderAccount(c, http.StatusOK, "sign-in", page)
}

func (s *Server) signIn(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(mustForm(c), "email", "password")
	page := accountPage{Base: s.accountBase(c, "Sign in"), Form: f, Next: safeNext(f.Value("next"), "")}
	email := f.Trimmed("email")
	if email == "" {
		f.Fail("email", "Enter your e-mail address")
	}
	if f.Value("password") == "" {
		f.Fail("password", "Enter your password")
	}
	if !f.OK() {
		return s.renderAccount(c, http.StatusOK, "sign-in", page)
	}
	msg, err := s.allow(c, rateCheck{limitSignInIP, c.RealIP()}, rateCheck{limitSignInAccount, normaliseEmail(email)})
	if err != nil || msg != "" {
		page.Notice = msg
		return s.rendered(c, http.StatusTooManyRequests, "sign-in", page, err)
	}
	u, err := s.Accounts.Authenticate(ctx, email, f.Value("password"))
	switch {
	case errors.Is(err, accounts.ErrBadCredentials), errors.Is(err, accounts.ErrDisabled):
		// One message for all three: unknown address, wrong password, disabled account.
		f.Fail("email", "Enter the e-mail address and password of your account")
		return s.renderAccount(c, http.StatusOK, "sign-in", page)
	case err != nil:
		return err
	}
	if !u.EmailVerified {
		if msg, err := s.allow(c, rateCheck{limitVerifyAccount, itoa64(u.ID)}); err != nil {
			return err
		} else if msg == "" {
			if err := s.sendVerification(ctx, u, page.Next); err != nil {
				return err
			}
		}
		return s.notice(c, http.StatusForbidden, "Confirm your e-mail address", []string{
			"You need to confirm your e-mail address before you can sign in. We have sent a new link to " + u.Email + ".",
		})
	}
	if err := s.Limiter.Reset(ctx, limitSignInAccount, normaliseEmail(email)); err != nil {
		return err
	}
	if u.TOTPEnabled {
		if err := s.startPendingSignIn(c, u, page.Next); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/account/sign-in/two-factor")
	}
	return s.finishSignIn(c, u, page.Next, "")
}

func (s *Server) finishSignIn(c echo.Context, u accounts.User, next, flash string) error {
	if err := s.startSession(c, u); err != nil {
		return err
	}
	if flash != "" {
		if err := s.setFlash(c, flash); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, safeNext(next, homeFor(u)))
}

// homeFor is where someone lands after signing in.
func homeFor(u accounts.User) string {
	switch {
	case u.IsAdmin():
		return "/admin"
	case u.IsRecruiter():
		return "/recruiter"
	case u.CanEdit():
		return "/editor"
	}
	return "/account"
}

func (s *Server) twoFactorChallengeForm(c echo.Context) error {
	if id, _ := s.pendingUser(c); id == 0 {
		return c.Redirect(http.StatusSeeOther, "/account/sign-in")
	}
	return s.renderAccount(c, http.StatusOK, "two-factor-challenge", accountPage{
		Base: s.accountBase(c, "Enter your security code"), Form: newForm(nil)})
}

func (s *Server) twoFactorChallenge(c echo.Context) error {
	ctx := c.Request().Context()
	id, next := s.pendingUser(c)
	if id == 0 {
		if err := s.setFlash(c, "Your sign-in timed out. Please sign in again."); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/account/sign-in")
	}
	f := newForm(mustForm(c), "code")
	page := accountPage{Base: s.accountBase(c, "Enter your security code"), Form: f}
	if msg, err := s.allow(c, rateCheck{limitTwoFactor, itoa64(id)}); err != nil || msg != "" {
		page.Notice = msg
		return s.rendered(c, http.StatusTooManyRequests, "two-factor-challenge", page, err)
	}
	usedRecovery, err := s.Accounts.VerifySecondFactor(ctx, id, f.Trimmed("code"))
	if errors.Is(err, accounts.ErrBadCode) || errors.Is(err, accounts.ErrTwoFactorNotEnabled) {
		f.Fail("code", "Enter the 6-digit code from your authenticator app, or one of your recovery codes")
		return s.renderAccount(c, http.StatusOK, "two-factor-challenge", page)
	}
	if err != nil {
		return err
	}
	u, err := s.Accounts.Get(ctx, id)
	if err != nil {
		return err
	}
	if u.Disabled {
		return c.Redirect(http.StatusSeeOther, "/account/sign-in")
	}
	flash := ""
	if usedRecovery {
		left, err := s.Accounts.RecoveryCodesLeft(ctx, id)
		if err != nil {
			return err
		}
		flash = "You signed in with a recovery code. You have " + itoa(left) + " left: make new ones in your account settings."
	}
	return s.finishSignIn(c, u, next, flash)
}

func (s *Server) signOutHandler(c echo.Context) error {
	if err := s.signOut(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/sign-in?signed-out=1")
}

// --- password reset ------------------------------------------------------

func (s *Server) resetRequestForm(c echo.Context) error {
	return s.renderAccount(c, http.StatusOK, "reset-request", accountPage{
		Base: s.accountBase(c, "Reset your password"), Form: newForm(nil)})
}

func (s *Server) resetRequest(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(mustForm(c), "email")
	page := accountPage{Base: s.accountBase(c, "Reset your password"), Form: f}
	email := f.Trimmed("email")
	if email == "" {
		f.Fail("email", "Enter your e-mail address")
		return s.renderAccount(c, http.StatusOK, "reset-request", page)
	}
	msg, err := s.allow(c, rateCheck{limitResetIP, c.RealIP()}, rateCheck{limitResetAccount, normaliseEmail(email)})
	if err != nil || msg != "" {
		page.Notice = msg
		return s.rendered(c, http.StatusTooManyRequests, "reset-request", page, err)
	}
	u, err := s.Accounts.ByEmail(ctx, email)
	switch {
	case errors.Is(err, accounts.ErrNotFound):
	case err != nil:
		return err
	case !u.Disabled:
		token, err := s.Accounts.NewToken(ctx, u.ID, accounts.ResetPassword, resetLinkTTL)
		if err != nil {
			return err
		}
		_ = s.sendMail(ctx, u.Email, "reset-password", map[string]any{
			"Name": u.Name, "Link": s.link("/account/reset/new?token=" + token), "Minutes": int(resetLinkTTL.Minutes()),
		})
	}
	return s.notice(c, http.StatusOK, "Check your e-mail", []string{
		"If an account uses " + email + ", we have sent it a link to choose a new password. The link works once, for an hour.",
	})
}

func (s *Server) resetPasswordForm(c echo.Context) error {
	token := c.QueryParam("token")
	if _, err := s.Accounts.CheckToken(c.Request().Context(), token, accounts.ResetPassword); err != nil {
		return s.badResetLink(c, err)
	}
	return s.renderAccount(c, http.StatusOK, "reset-password", accountPage{
		Base: s.accountBase(c, "Choose a new password"), Form: newForm(nil), Token: token})
}

func (s *Server) badResetLink(c echo.Context, err error) error {
	if !errors.Is(err, accounts.ErrTokenInvalid) {
		return err
	}
	return s.notice(c, http.StatusGone, "This link has expired or has been used", []string{
		"Password reset links work once, for an hour. Ask for a new one.",
	}, navLink{URL: "/account/reset", Label: "Reset your password"})
}

func (s *Server) resetPassword(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(mustForm(c), "password", "confirm")
	token := f.Value("token")
	page := accountPage{Base: s.accountBase(c, "Choose a new password"), Form: f, Token: token}
	id, err := s.Accounts.CheckToken(ctx, token, accounts.ResetPassword)
	if err != nil {
		return s.badResetLink(c, err)
	}
	u, err := s.Accounts.Get(ctx, id)
	if err != nil {
		return err
	}
	if msg := accounts.ValidatePassword(f.Value("password"), u.Email, u.Name); msg != "" {
		f.Fail("password", msg)
	} else if f.Value("confirm") != f.Value("password") {
		f.Fail("confirm", "The passwords do not match")
	}
	if !f.OK() {
		return s.renderAccount(c, http.StatusOK, "reset-password", page)
	}
	if _, err := s.Accounts.UseToken(ctx, token, accounts.ResetPassword); err != nil {
		return s.badResetLink(c, err)
	}
	if err := s.Accounts.SetPassword(ctx, id, f.Value("password")); err != nil {
		return err
	}
	// The link proves the address; every old session ends.
	if err := s.Accounts.MarkEmailVerified(ctx, id); err != nil {
		return err
	}
	if _, err := s.Sessions.RevokeUser(ctx, id, nil); err != nil {
		return err
	}
	s.mailPasswordChanged(ctx, u)
	if err := s.setFlash(c, "Your password has been changed. Sign in with your new password."); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/sign-in")
}

func (s *Server) mailPasswordChanged(ctx context.Context, u accounts.User) {
	_ = s.sendMail(ctx, u.Email, "password-changed", map[string]any{
		"Name": u.Name, "When": s.Now(), "ResetLink": s.link("/account/reset"),
	})
}

// rendered renders a page after a rate-limit check, or returns its error.
func (s *Server) rendered(c echo.Context, status int, template string, page accountPage, err error) error {
	if err != nil {
		return err
	}
	return s.render.render(c, status, template, page)
}
