package site

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// UserError is an error whose message is written for people and whose
// status the error handler uses as it is.
type UserError struct {
	Status    int
	Message   string
	Parameter string // for API clients: which parameter was wrong
}

func (e *UserError) Error() string { return e.Message }

type errorPage struct {
	Base
	Status  int
	Heading string
	Message string
}

// handleError is the one place errors become responses: not found -> 404
// page, search down -> 503 page, a user-facing error -> its status and
// message, anything else -> logged 500. JSON under /api/, HTML elsewhere.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, heading, message, param := s.classify(err)
	if status >= 500 && status != http.StatusServiceUnavailable {
		s.logger.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	var werr error
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		body := map[string]string{"error": message}
		if param != "" {
			body["parameter"] = param
		}
		werr = c.JSON(status, body)
	} else {
		if status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", "30")
		}
		page := errorPage{Base: s.base(c, heading), Status: status, Heading: heading, Message: message}
		page.NoIndex = true
		werr = s.render.render(c, status, "error", page)
	}
	if werr != nil {
		s.logger.Error("write error response", "err", werr)
		_ = c.String(http.StatusInternalServerError, "Sorry, something went wrong.")
	}
}

func (s *Server) classify(err error) (status int, heading, message, param string) {
	var ue *UserError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ue):
		return ue.Status, headingFor(ue.Status), ue.Message, ue.Parameter
	case errors.Is(err, vacancies.ErrNotFound), errors.Is(err, partners.ErrNotFound):
		return http.StatusNotFound, headingFor(http.StatusNotFound), notFoundMessage, ""
	case errors.Is(err, search.ErrUnavailable):
		return http.StatusServiceUnavailable, "Search is unavailable",
			"Job search is not working at the moment. Please try again in a few minutes. Employer pages and job adverts you have a link to still work.", ""
	case errors.As(err, &he):
		if he.Code == http.StatusNotFound {
			return he.Code, headingFor(he.Code), notFoundMessage, ""
		}
		if he.Code < 500 {
			return he.Code, headingFor(he.Code), http.StatusText(he.Code), ""
		}
	}
	return http.StatusInternalServerError, headingFor(http.StatusInternalServerError),
		"Sorry, there is a problem with the service. Please try again later.", ""
}

const notFoundMessage = "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address. The job may have been removed by the employer."

func headingFor(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusBadRequest:
		return "There is a problem with your request"
	case http.StatusForbidden:
		return "You do not have permission to see this page"
	case http.StatusServiceUnavailable:
		return "Sorry, the service is unavailable"
	}
	if status >= 500 {
		return "Sorry, there is a problem with the service"
	}
	return http.StatusText(status)
}

// logRequests writes one structured log line per request.
func logRequests(logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			err := next(c)
			if err != nil {
				c.Error(err)
			}
			req, res := c.Request(), c.Response()
			logger.Info("request", "method", req.Method, "path", req.URL.Path, "route", c.Path(),
				"status", res.Status, "bytes", res.Size, "duration_ms", float64(time.Since(start).Microseconds())/1000,
				"request_id", res.Header().Get(echo.HeaderXRequestID))
			return nil
		}
	}
}
