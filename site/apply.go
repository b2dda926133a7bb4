package site

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/applications"
	"github.com/regionalcareers/portal/internal/profiles"
)

// applyPage is the form at /jobs/{id}/application: what will be shared,
// the statement for this job, the employer's questions and the passport
// consent.
type applyPage struct {
	Base
	Job         applications.Target
	ProfileRows []summaryRow
	Complete    bool
	Missing     string // what the profile lacks, in words
	Passport    []profiles.PassportItem
	Questions   []questionField
	Form        *form
	Just        bool // the application was sent a moment ago (apply-done)
	AppliedID   int64
}

type questionField struct {
	Field, Text string
}

// loadApplyTarget reads the job in the URL for the signed-in user to apply
// for. A job that is not open for applications here sends the browser to
// its advert, which says how to apply.
func (s *Server) loadApplyTarget(c echo.Context) (applications.Target, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return applications.Target{}, echo.ErrNotFound
	}
	t, err := s.Applications.ForApplying(c.Request().Context(), currentUser(c).ID, id)
	return t, applicationError(err)
}

// applicationError maps the domain's not-found to the 404 page.
func applicationError(err error) error {
	if errors.Is(err, applications.ErrNotFound) {
		return echo.ErrNotFound
	}
	return err
}

func (s *Server) applyForm(c echo.Context) error {
	t, err := s.loadApplyTarget(c)
	if errors.Is(err, applications.ErrNotOpen) {
		return c.Redirect(http.StatusSeeOther, t.VacancyPath)
	}
	if err != nil {
		return err
	}
	if t.AppliedID != 0 {
		return s.renderApplied(c, t)
	}
	page, err := s.applyPage(c, t, newForm(nil))
	if err != nil {
		return err
	}
	return s.render.render(c, http.StatusOK, "apply-form", page)
}

func (s *Server) apply(c echo.Context) error {
	t, err := s.loadApplyTarget(c)
	if errors.Is(err, applications.ErrNotOpen) {
		return c.Redirect(http.StatusSeeOther, t.VacancyPath)
	}
	if err != nil {
		return err
	}
	if t.AppliedID != 0 {
		return c.Redirect(http.StatusSeeOther, "/jobs/"+itoa64(t.VacancyID)+"/application")
	}
	f := newForm(mustForm(c), "profile", "statement")
	var answers []applications.Answer
	for _, q := range t.Questions {
		field := applications.AnswerField(q.ID)
		f.Order = append(f.Order, field)
		answers = append(answers, applications.Answer{QuestionID: q.ID, Answer: f.Value(field)})
	}
	_, err = s.Applications.Apply(c.Request().Context(), currentUser(c).ID, t.VacancyID, f.Value("statement"), answers,
		f.Value("share_passport") == "yes")
	var verr applications.ValidationError
	switch {
	case errors.Is(err, applications.ErrNotOpen):
		return c.Redirect(http.StatusSeeOther, t.VacancyPath)
	case errors.As(err, &verr):
		if _, ok := verr["application"]; ok { // sent twice
			return c.Redirect(http.StatusSeeOther, "/jobs/"+itoa64(t.VacancyID)+"/application")
		}
		f.Merge(verr, nil)
		page, err := s.applyPage(c, t, f)
		if err != nil {
			return err
		}
		return s.render.render(c, http.StatusUnprocessableEntity, "apply-form", page)
	case err != nil:
		return applicationError(err)
	}
	return s.redirectWithFlash(c, "/jobs/"+itoa64(t.VacancyID)+"/application", "Your application has been sent.")
}

func (s *Server) applyPage(c echo.Context, t applications.Target, f *form) (applyPage, error) {
	ctx := c.Request().Context()
	userID := currentUser(c).ID
	p, err := s.Profiles.Get(ctx, userID)
	if err != nil {
		return applyPage{}, err
	}
	passport, err := s.Profiles.Passport(ctx, userID)
	if err != nil {
		return applyPage{}, err
	}
	b := s.base(c, "Apply for "+t.VacancyTitle+" – "+t.PartnerName)
	b.NoIndex, b.Section = true, "jobs"
	page := applyPage{Base: b, Job: t, ProfileRows: profileRows(p, false), Passport: passport, Form: f}
	var missing []string
	page.Complete, missing = p.Complete()
	page.Missing = joinWords(missing)
	for _, q := range t.Questions {
		page.Questions = append(page.Questions, questionField{Field: applications.AnswerField(q.ID), Text: q.Text})
	}
	return page, nil
}

// renderApplied is the confirmation page: just sent (the flash says so),
// or visited again later.
func (s *Server) renderApplied(c echo.Context, t applications.Target) error {
	b := s.base(c, "You have applied for "+t.VacancyTitle)
	b.NoIndex, b.Section = true, "jobs"
	just := b.Flash != ""
	if just {
		b.Title = "Application sent"
	}
	return s.render.render(c, http.StatusOK, "apply-done", applyPage{Base: b, Job: t, Just: just, AppliedID: t.AppliedID})
}

func rightToWorkLabel(value string) string {
	for _, o := range profiles.RightToWork {
		if o.Value == value {
			return o.Label
		}
	}
	return ""
}

// joinWords lists items as people write them: "a, b and c".
func joinWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	out := items[0]
	for _, item := range items[1 : len(items)-1] {
		out += ", " + item
	}
	return out + " and " + items[len(items)-1]
}
