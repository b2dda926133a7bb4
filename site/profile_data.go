package site

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
	"github.com/regionalcareers/portal/internal/audit"
)

// What people can do with their own data: download all of it, and delete
// their account.

// downloadData sends everything held about the signed-in user as one
// JSON file.
func (s *Server) downloadData(c echo.Context) error {
	x, err := s.Profiles.Export(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `attachment; filename="my-data.json"`)
	h.Set("Cache-Control", "private, no-store")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, body)
}

func (s *Server) deleteAccountForm(c echo.Context) error {
	return s.render.render(c, http.StatusOK, "profile-delete", s.settingsBase(c, "Delete your account"))
}

// deleteAccount deletes the account after the password, which also ends
// every session (they go with the user), and signs this browser out.
func (s *Server) deleteAccount(c echo.Context) error {
	ctx := c.Request().Context()
	page := s.settingsBase(c, "Delete your account")
	page.Form = newForm(mustForm(c), "password")
	u := page.Account
	if page.Form.Value("password") == "" {
		page.Form.Fail("password", "Enter your password")
		return s.render.render(c, http.StatusUnprocessableEntity, "profile-delete", page)
	}
	if msg, err := s.allow(c, rateCheck{limitSignInAccount, normaliseEmail(u.Email)}); err != nil {
		return err
	} else if msg != "" {
		page.Form.Fail("password", msg)
		return s.render.render(c, http.StatusTooManyRequests, "profile-delete", page)
	}
	if _, err := s.Accounts.Authenticate(ctx, u.Email, page.Form.Value("password")); err != nil {
		if !errors.Is(err, accounts.ErrBadCredentials) {
			return err
		}
		page.Form.Fail("password", "Your password is not right")
		return s.render.render(c, http.StatusUnprocessableEntity, "profile-delete", page)
	}
	if err := s.Profiles.DeleteAccount(ctx, u.ID); err != nil {
		return err
	}
	// The actor is gone, so the entry names them by address only.
	if err := audit.Record(ctx, s.Pool, audit.Entry{ActorEmail: u.Email, Action: "account.delete", TargetType: "user",
		TargetID: itoa64(u.ID), IP: c.RealIP()}); err != nil {
		s.logger.Error("audit account deletion", "user", u.ID, "err", err)
	}
	if err := s.signOut(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/account/deleted")
}

// accountDeleted is where a deleted account's browser lands: the session
// that could carry a flash went with the account.
func (s *Server) accountDeleted(c echo.Context) error {
	return s.notice(c, http.StatusOK, "Your account is deleted", []string{
		"We have deleted your account, your profile, your staff passport with its files, and your job alerts. You are signed out everywhere.",
		"Employers you applied to keep the application you sent them, without a link to you, until our retention period ends and it is anonymised.",
	}, navLink{URL: "/jobs", Label: "Search for jobs"})
}
