package applications

import (
	"context"

	"github.com/regionalcareers/portal/internal/mail"
)

// statusMail is the data of the application-received and
// application-status templates.
type statusMail struct {
	Name     string // the applicant's; may be empty
	Role     string // the job title
	Employer string
	Status   string // the new status in words
	Note     string // the recruiter's message; may be empty
	Link     string // the application in the applicant's account
}

func (s *Store) applicantLink(id int64) string {
	return s.mailer.BaseURL + "/account/applications/" + itoa(id)
}

// send e-mails an applicant after a change has been saved. A failure is
// logged and goes no further: the change stands, and the applicant sees
// it in their account.
func (s *Store) send(ctx context.Context, to, template string, data statusMail) {
	if s.mailer.Sender == nil || to == "" {
		return
	}
	subject, text, err := mail.Render(template, data)
	if err == nil {
		err = s.mailer.Sender.Send(context.WithoutCancel(ctx), mail.Message{To: to, Subject: subject, Text: text})
	}
	if err != nil {
		s.mailer.Logger.Error("mail applicant", "template", template, "err", err)
	}
}
