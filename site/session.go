package site

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/accounts"
)

// Session keys. Only these are ever stored.
const (
	keyUserID       = "user_id"       // int64: the signed-in user
	keyPendingUser  = "pending_user"  // int64: password checked, second factor still to come
	keyPendingUntil = "pending_until" // int64 unix seconds: when the pending sign-in lapses
	keyPendingNext  = "pending_next"  // string: where to go after the second factor
	keyFlash        = "flash"         // string: a one-time message for the next page
)

// Context keys for what the session middleware loads.
const (
	ctxSession = "portal.session"
	ctxUser    = "portal.user"
)

// sessionCookieName is the session cookie's name; the __Host- prefix makes
// browsers refuse it unless it is Secure, host-only and on path /.
func sessionCookieName(production bool) string {
	if production {
		return "__Host-session"
	}
	return "session"
}

// loadSession reads the session (one query, only when the browser sends a
// cookie) and the signed-in user, and puts both in the request context.
// Disabled users are treated as signed out.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if noSession(c.Request().URL.Path) {
			return next(c)
		}
		// The session store records where a session was used from: give it
		// the client's address, not a proxy's (see the IP extractor in New).
		c.Request().RemoteAddr = net.JoinHostPort(c.RealIP(), "0")
		sess, err := s.Sessions.Session(c.Request())
		if err != nil {
			s.logger.Warn("read session", "err", err)
		}
		if sess == nil {
			return next(c)
		}
		c.Set(ctxSession, sess)
		if id, ok := sess.Values[keyUserID].(int64); ok && id > 0 {
			u, err := s.Accounts.Get(c.Request().Context(), id)
			switch {
			case err == nil && !u.Disabled:
				c.Set(ctxUser, &u)
			case err == nil || errors.Is(err, accounts.ErrNotFound):
				delete(sess.Values, keyUserID)
			default:
				return err
			}
		}
		if isPrivate(c.Request().URL.Path) {
			c.Response().Header().Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// noSession lists the paths that never need a session: static files,
// machine endpoints and read-only feeds.
func noSession(path string) bool {
	return strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/api/") ||
		strings.HasPrefix(path, "/feeds/") || strings.HasPrefix(path, "/media/") || path == "/jobs.rss" ||
		path == "/stories.rss" || path == "/sitemap.xml" ||
		path == "/healthz" || path == "/readyz" || path == "/metrics" || path == "/robots.txt"
}

// isPrivate reports whether a path shows someone's own data.
func isPrivate(path string) bool {
	for _, prefix := range []string{"/account", "/recruiter", "/editor", "/admin"} {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}

// currentUser is the signed-in user, or nil.
func currentUser(c echo.Context) *accounts.User {
	u, _ := c.Get(ctxUser).(*accounts.User)
	return u
}

func currentSession(c echo.Context) *sessions.Session {
	sess, _ := c.Get(ctxSession).(*sessions.Session)
	return sess
}

func (s *Server) saveSession(c echo.Context) error {
	sess := currentSession(c)
	if sess == nil {
		return errors.New("no session on this request")
	}
	return sess.Save(c.Request(), c.Response())
}

// setFlash keeps a message for the next page the browser shows.
func (s *Server) setFlash(c echo.Context, message string) error {
	sess := currentSession(c)
	if sess == nil {
		return nil
	}
	sess.Values[keyFlash] = message
	return s.saveSession(c)
}

// takeFlash returns the waiting message, if any, and forgets it.
func (s *Server) takeFlash(c echo.Context) string {
	sess := currentSession(c)
	if sess == nil {
		return ""
	}
	msg, _ := sess.Values[keyFlash].(string)
	if msg == "" {
		return ""
	}
	delete(sess.Values, keyFlash)
	if err := s.saveSession(c); err != nil {
		s.logger.Warn("save session after flash", "err", err)
	}
	return msg
}

// startSession starts a signed-in session under a new id, so an id planted
// before sign-in (session fixation) is worthless.
func (s *Server) startSession(c echo.Context, u accounts.User) error {
	sess := currentSession(c)
	if sess == nil {
		return errors.New("no session on this request")
	}
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	sess.Values[keyUserID] = u.ID
	if err := s.Sessions.Renew(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	c.Set(ctxUser, &u)
	return nil
}

// signOut ends this session: its row is deleted and the cookie expired.
func (s *Server) signOut(c echo.Context) error {
	sess := currentSession(c)
	if sess == nil {
		return nil
	}
	sess.Options.MaxAge = -1
	if err := s.saveSession(c); err != nil {
		return err
	}
	c.Set(ctxUser, nil)
	return nil
}

// startPendingSignIn remembers that u gave the right password and still
// owes a second factor, for five minutes.
func (s *Server) startPendingSignIn(c echo.Context, u accounts.User, next string) error {
	sess := currentSession(c)
	for k := range sess.Values {
		delete(sess.Values, k)
	}
	sess.Values[keyPendingUser] = u.ID
	sess.Values[keyPendingUntil] = s.Now().Add(5 * time.Minute).Unix()
	sess.Values[keyPendingNext] = next
	return s.Sessions.Renew(c.Request(), c.Response(), sess)
}

// pendingUser is the user halfway through signing in, or 0.
func (s *Server) pendingUser(c echo.Context) (id int64, next string) {
	sess := currentSession(c)
	if sess == nil {
		return 0, ""
	}
	id, _ = sess.Values[keyPendingUser].(int64)
	until, _ := sess.Values[keyPendingUntil].(int64)
	next, _ = sess.Values[keyPendingNext].(string)
	if id == 0 || s.Now().Unix() > until {
		return 0, ""
	}
	return id, next
}

// requireUser sends anonymous visitors to sign in, and back afterwards.
func (s *Server) requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) == nil {
			return c.Redirect(http.StatusSeeOther, "/account/sign-in?next="+url.QueryEscape(returnPath(c)))
		}
		return next(c)
	}
}

// requireStaff guards /recruiter, /editor and /admin: sign in first, and
// people whose role needs two-factor sign-in set it up before anything else.
func (s *Server) requireStaff(allowed func(accounts.User) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return s.requireUser(func(c echo.Context) error {
			u := currentUser(c)
			if !allowed(*u) {
				return forbidden()
			}
			if u.NeedsTwoFactor() && !u.TOTPEnabled {
				if err := s.setFlash(c, "Your role needs two-factor sign-in. Set it up to continue."); err != nil {
					return err
				}
				return c.Redirect(http.StatusSeeOther, "/account/two-factor")
			}
			return next(c)
		})
	}
}

func forbidden() error {
	return &UserError{Status: http.StatusForbidden, Message: "Your account does not give you access to this page. If you think it should, ask your organisation's partner admin or the portal team."}
}

// returnPath is where to come back to after signing in: this page for a
// GET, its form's page otherwise.
func returnPath(c echo.Context) string {
	if c.Request().Method == http.MethodGet {
		return c.Request().URL.RequestURI()
	}
	return c.Request().URL.Path
}

// safeNext keeps a post-sign-in redirect on this site: a local path only.
func safeNext(next, fallback string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsAny(next, "\r\n") {
		return fallback
	}
	return next
}
