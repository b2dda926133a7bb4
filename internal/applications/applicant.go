package applications

import (
	"context"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
)

// The applicant's side: their own applications only; anyone else's is
// ErrNotFound.

// ListForUser returns userID's applications, newest first.
func (s *Store) ListForUser(ctx context.Context, userID int64) (list []Summary, err error) {
	defer wrap(&err, "list applications of user %d", userID)
	rows, err := s.pool.Query(ctx, `
		SELECT a.id, a.vacancy_id, v.title, p.name, a.name, a.status, a.submitted_at, a.updated_at
		FROM applications a JOIN vacancies v ON v.id = a.vacancy_id JOIN partners p ON p.id = a.partner_id
		WHERE a.user_id = $1 ORDER BY a.submitted_at DESC, a.id DESC`, userID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (a Summary, err error) {
		err = row.Scan(&a.ID, &a.VacancyID, &a.VacancyTitle, &a.PartnerName, &a.Name, &a.Status, &a.SubmittedAt, &a.UpdatedAt)
		a.Candidate = CandidateRef(a.ID)
		return a, err
	})
}

// GetForUser returns userID's application id, all of it, with its history.
func (s *Store) GetForUser(ctx context.Context, userID, id int64) (a Application, err error) {
	defer wrap(&err, "get application %d for user %d", id, userID)
	a, _, err = scanApplication(s.pool.QueryRow(ctx, selectApplication+` WHERE a.id = $1 AND a.user_id = $2`, id, userID))
	if err != nil {
		return Application{}, err
	}
	a.CanWithdraw = ApplicantCanWithdraw(a.Status)
	a.Events, err = s.events(ctx, id)
	return a, err
}

// Withdraw withdraws userID's application id and e-mails them to confirm.
// An application already accepted, unsuccessful or withdrawn cannot be
// withdrawn (ValidationError on "withdraw").
func (s *Store) Withdraw(ctx context.Context, userID, id int64) (err error) {
	defer wrap(&err, "withdraw application %d", id)
	var m statusMail
	var to string
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var cur string
		err := tx.QueryRow(ctx, `
			SELECT a.status, u.email, u.name, v.title, p.name
			FROM applications a JOIN vacancies v ON v.id = a.vacancy_id JOIN partners p ON p.id = a.partner_id
				JOIN users u ON u.id = a.user_id
			WHERE a.id = $1 AND a.user_id = $2 FOR UPDATE OF a`, id, userID).Scan(&cur, &to, &m.Name, &m.Role, &m.Employer)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if !ApplicantCanWithdraw(cur) {
			return ValidationError{"withdraw": "This application is " + strings.ToLower(Label(cur)) + ", so it cannot be withdrawn"}
		}
		return changeStatus(ctx, tx, id, Withdrawn, userID, "")
	})
	if err != nil {
		return err
	}
	m.Status, m.Link = Label(Withdrawn), s.applicantLink(id)
	s.send(ctx, to, "application-status", m)
	return nil
}
