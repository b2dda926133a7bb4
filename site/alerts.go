package site

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/alerts"
	"github.com/regionalcareers/portal/internal/ratelimit"
	"github.com/regionalcareers/portal/search"
)

// alertsPages are the job alert templates.
var alertsPages = []string{"alerts-new", "alerts-manage", "alerts-unsubscribe"}

// Subscribing sends an e-mail to an address someone typed in, so it is
// limited per IP address and per address written to.
var (
	limitAlertIP      = ratelimit.Rule{Name: "alert-ip", Limit: 20, Window: time.Hour}
	limitAlertAddress = ratelimit.Rule{Name: "alert-address", Limit: 5, Window: time.Hour}
)

// Job alerts need no account: the e-mailed links carry a signed token that
// is the authority to confirm, change or end an alert (see
// internal/alerts/tokens.go).
func (s *Server) alertRoutes(e *echo.Echo) {
	e.GET("/alerts/new", s.newAlertForm)
	e.POST("/alerts", s.subscribeAlert)
	e.GET("/alerts/confirm", s.confirmAlert)
	e.GET("/alerts/manage", s.manageAlerts)
	e.POST("/alerts/frequency", s.changeAlertFrequency)
	e.GET("/alerts/unsubscribe", s.unsubscribeAlertForm)
	e.POST("/alerts/unsubscribe", s.unsubscribeAlert)
	e.GET("/account/alerts", s.accountAlerts, s.requireUser)
}

// isOneClickUnsubscribe picks out the one route the CSRF middleware skips:
// mail clients post to the List-Unsubscribe address without a token
// (RFC 8058). All it can do is end the alert the token in the URL names.
func isOneClickUnsubscribe(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Request().URL.Path == "/alerts/unsubscribe"
}

// alertFormPage is the "get job alerts" form.
type alertFormPage struct {
	Base
	Form        *form
	Description string // what the alert will match, in words
	Query       string // the search, saved in a hidden field
	SearchURL   string
	Frequencies []option
	Notice      string
}

// alertsPage lists alerts with their forms: the e-mailed manage link's
// page and the account's page.
type alertsPage struct {
	Base
	Heading string
	Intro   string
	Alerts  []alertView
	Next    string // where the forms come back to; "" means the manage page
}

type alertView struct {
	alerts.Alert
	SearchURL   string
	HowOften    string
	Frequencies []option
}

// unsubscribePage asks before ending an alert.
type unsubscribePage struct {
	Base
	Alert alerts.Alert
}

func frequencyOptions(chosen string) []option {
	labels := map[string]string{alerts.Instant: "As soon as new jobs are posted", alerts.Daily: "Once a day", alerts.Weekly: "Once a week"}
	opts := make([]option, len(alerts.Frequencies))
	for i, f := range alerts.Frequencies {
		opts[i] = option{Value: f, Label: labels[f], Selected: f == chosen}
	}
	return opts
}

func (s *Server) alertBase(c echo.Context, title string) Base {
	b := s.base(c, title)
	b.NoIndex, b.Section = true, "jobs"
	// Token links are the key to someone's alerts: keep them out of caches.
	c.Response().Header().Set("Cache-Control", "no-store")
	return b
}

// alertForm builds the form page for a parsed search.
func (s *Server) alertForm(c echo.Context, f *form, q search.VacancyQuery) alertFormPage {
	query := alerts.Normalise(q)
	page := alertFormPage{Base: s.alertBase(c, "Get job alerts"), Form: f, Query: query, SearchURL: "/jobs",
		Description: alerts.Describe(q, func(slug string) string { return s.partnerName(c.Request().Context(), slug) }),
		Frequencies: frequencyOptions(f.Value("frequency"))}
	if query != "" {
		page.SearchURL += "?" + query
	}
	return page
}

func (s *Server) renderAlertForm(c echo.Context, status int, page alertFormPage) error {
	if status == http.StatusOK && !page.Form.OK() {
		status = http.StatusUnprocessableEntity
	}
	if !page.Form.OK() {
		page.Title = "Error: " + page.Title
	}
	return s.render.render(c, status, "alerts-new", page)
}

// unsavableSearch answers a search that does not parse: the link to the
// form came from a search page with errors, or someone edited the URL.
func (s *Server) unsavableSearch(c echo.Context, err error, raw string) error {
	msg := err.Error()
	if pe := search.FirstParamError(err); pe != nil {
		msg = pe.Message
	}
	return s.notice(c, http.StatusBadRequest, "This search cannot be saved as an alert", []string{msg,
		"Go back to the search, correct it, then ask for alerts again."}, navLink{URL: "/jobs?" + raw, Label: "Go back to your search"})
}

func (s *Server) newAlertForm(c echo.Context) error {
	q, err := search.ParseVacancyQuery(c.QueryParams(), s.Gazetteer)
	if err != nil {
		return s.unsavableSearch(c, err, c.QueryString())
	}
	f := newForm(nil)
	f.Values.Set("frequency", alerts.Daily)
	if u := currentUser(c); u != nil {
		f.Values.Set("email", u.Email)
	}
	return s.renderAlertForm(c, http.StatusOK, s.alertForm(c, f, q))
}

func (s *Server) subscribeAlert(c echo.Context) error {
	ctx := c.Request().Context()
	f := newForm(mustForm(c), "email", "frequency")
	values, err := url.ParseQuery(f.Value("query"))
	if err != nil {
		return &UserError{Status: http.StatusBadRequest, Message: "This search cannot be saved as an alert."}
	}
	q, err := search.ParseVacancyQuery(values, s.Gazetteer)
	if err != nil {
		return s.unsavableSearch(c, err, values.Encode())
	}
	page := s.alertForm(c, f, q)
	email, frequency := f.Trimmed("email"), f.Value("frequency")
	if errs := alerts.Check(email, frequency); len(errs) > 0 {
		f.Merge(errs, nil)
		return s.renderAlertForm(c, http.StatusOK, page)
	}
	if msg, err := s.allow(c, rateCheck{limitAlertIP, c.RealIP()}, rateCheck{limitAlertAddress, normaliseEmail(email)}); err != nil || msg != "" {
		if err != nil {
			return err
		}
		page.Notice = msg
		return s.renderAlertForm(c, http.StatusTooManyRequests, page)
	}
	// The signed-in owner of a verified address needs no confirming e-mail.
	var owner int64
	if u := currentUser(c); u != nil && u.EmailVerified && strings.EqualFold(u.Email, email) {
		owner = u.ID
	}
	token, err := s.Alerts.Subscribe(ctx, email, owner, values, page.Description, frequency)
	var verr alerts.ValidationError
	if errors.As(err, &verr) {
		f.Merge(verr, nil)
		return s.renderAlertForm(c, http.StatusOK, page)
	}
	if err != nil {
		return err
	}
	if owner != 0 {
		if err := s.setFlash(c, "Your job alert is set up: "+page.Description); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/account/alerts")
	}
	a, err := s.Alerts.ByToken(ctx, token)
	if err != nil {
		return err
	}
	// The same page whether or not the address already had this alert: the
	// e-mail says which.
	_ = s.sendMail(ctx, email, "alert-confirm", map[string]any{
		"Description": a.Description, "Frequency": alerts.FrequencyLabel(a.Frequency), "Confirmed": a.Confirmed(),
		"Link": s.link("/alerts/confirm?token=" + token), "ManageLink": s.link("/alerts/manage?token=" + token),
	})
	return s.notice(c, http.StatusOK, "Check your e-mail", []string{
		"We have sent an e-mail to " + email + ". Open the link in it to start your job alert.",
		"We will not send you any jobs until you do. If the e-mail has not arrived in a few minutes, check your spam folder.",
	}, navLink{URL: page.SearchURL, Label: "Back to your search"})
}

// badAlertLink answers a token that is not ours or whose alert is gone.
func (s *Server) badAlertLink(c echo.Context) error {
	return s.notice(c, http.StatusNotFound, "This link does not work", []string{
		"Check that you copied the whole link from the e-mail. Links in e-mails from a long time ago may no longer work: the latest job alert e-mail has links that do.",
	}, navLink{URL: "/jobs", Label: "Search jobs"})
}

// alertOutcome turns the errors of a token action into pages.
func (s *Server) alertOutcome(c echo.Context, a alerts.Alert, err error) (handled bool, _ error) {
	switch {
	case errors.Is(err, alerts.ErrNotFound):
		return true, s.badAlertLink(c)
	case errors.Is(err, alerts.ErrUnsubscribed):
		return true, s.notice(c, http.StatusGone, "You have unsubscribed from this alert", []string{
			"You unsubscribed from the job alert “" + a.Description + "”. To get it again, set it up again from the search.",
		}, navLink{URL: "/alerts/new?" + a.Query, Label: "Set up this alert again"})
	case err != nil:
		return true, err
	}
	return false, nil
}

// confirmAlert confirms from the e-mailed link. A mail scanner that opens
// the link early confirms it too; every e-mail then offers one-click
// unsubscribe.
func (s *Server) confirmAlert(c echo.Context) error {
	a, err := s.Alerts.Confirm(c.Request().Context(), c.QueryParam("token"))
	if done, err := s.alertOutcome(c, a, err); done {
		return err
	}
	if a.Unsubscribed() {
		_, err := s.alertOutcome(c, a, alerts.ErrUnsubscribed)
		return err
	}
	if err := s.setFlash(c, "Your job alert is set up. We will e-mail you "+alerts.FrequencyLabel(a.Frequency)+" with new jobs matching: "+a.Description); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/alerts/manage?token="+url.QueryEscape(a.Token))
}

func (s *Server) manageAlerts(c echo.Context) error {
	ctx := c.Request().Context()
	a, err := s.Alerts.ByToken(ctx, c.QueryParam("token"))
	if done, err := s.alertOutcome(c, a, err); done {
		return err
	}
	list, err := s.Alerts.ListForEmail(ctx, a.Email)
	if err != nil {
		return err
	}
	return s.renderAlerts(c, alertsPage{Base: s.alertBase(c, "Your job alerts"), Heading: "Your job alerts",
		Intro: "Job alerts sent to " + a.Email + "."}, list)
}

func (s *Server) accountAlerts(c echo.Context) error {
	u := currentUser(c)
	list, err := s.Alerts.ListForUser(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	page := alertsPage{Base: s.accountBase(c, "Your job alerts"), Heading: "Your job alerts",
		Intro: "Job alerts sent to " + u.Email + ".", Next: "/account/alerts"}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.renderAlerts(c, page, list)
}

func (s *Server) renderAlerts(c echo.Context, page alertsPage, list []alerts.Alert) error {
	for _, a := range list {
		v := alertView{Alert: a, SearchURL: "/jobs", Frequencies: frequencyOptions(a.Frequency)}
		for _, o := range v.Frequencies {
			if o.Selected {
				v.HowOften = o.Label
			}
		}
		if a.Query != "" {
			v.SearchURL += "?" + a.Query
		}
		page.Alerts = append(page.Alerts, v)
	}
	return s.render.render(c, http.StatusOK, "alerts-manage", page)
}

// backFromAlertForm is where a form on the alerts pages returns to.
func backFromAlertForm(f *form, a alerts.Alert) string {
	return safeNext(f.Value("next"), "/alerts/manage?token="+url.QueryEscape(a.Token))
}

func (s *Server) changeAlertFrequency(c echo.Context) error {
	f := newForm(mustForm(c))
	a, err := s.Alerts.ChangeFrequency(c.Request().Context(), f.Value("token"), f.Value("frequency"))
	var verr alerts.ValidationError
	if errors.As(err, &verr) {
		return &UserError{Status: http.StatusUnprocessableEntity, Message: verr["frequency"] + ". Go back and try again."}
	}
	if done, err := s.alertOutcome(c, a, err); done {
		return err
	}
	if err := s.setFlash(c, "We will now e-mail you "+alerts.FrequencyLabel(a.Frequency)+" about: "+a.Description); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, backFromAlertForm(f, a))
}

// unsubscribeAlertForm asks first: mail scanners open links, and opening a
// link must not end anything.
func (s *Server) unsubscribeAlertForm(c echo.Context) error {
	a, err := s.Alerts.ByToken(c.Request().Context(), c.QueryParam("token"))
	if done, err := s.alertOutcome(c, a, err); done {
		return err
	}
	return s.render.render(c, http.StatusOK, "alerts-unsubscribe", unsubscribePage{Base: s.alertBase(c, "Unsubscribe from a job alert"), Alert: a})
}

// unsubscribeAlert ends an alert: from the form on this site (token in the
// form, CSRF-checked like any other) or as a mail client's one-click
// unsubscribe (token in the URL, "List-Unsubscribe=One-Click" in the body,
// no CSRF token; see isOneClickUnsubscribe).
func (s *Server) unsubscribeAlert(c echo.Context) error {
	f := newForm(mustForm(c))
	token := c.QueryParam("token")
	if token == "" {
		token = f.Value("token")
	}
	a, err := s.Alerts.Unsubscribe(c.Request().Context(), token)
	if done, err := s.alertOutcome(c, a, err); done {
		return err
	}
	if f.Value("List-Unsubscribe") == "One-Click" {
		return s.notice(c, http.StatusOK, "You have unsubscribed", []string{
			"We will not send the job alert “" + a.Description + "” again.",
		})
	}
	if err := s.setFlash(c, "You have unsubscribed from “"+a.Description+"”. We will not send it again."); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, backFromAlertForm(f, a))
}
