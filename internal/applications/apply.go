package applications

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/regionalcareers/portal/internal/profiles"
)

// Target is a job as the application form shows it: what is applied for,
// and the employer's screening questions.
type Target struct {
	VacancyID    int64
	VacancyTitle string
	VacancyPath  string
	PartnerID    int64
	PartnerName  string
	ClosingOn    time.Time
	Questions    []Question
	AppliedID    int64 // the user's application for it already, 0 when none
}

// ForApplying returns the job vacancyID for userID to apply for: ErrNotFound
// when it is not public, ErrNotOpen when it cannot be applied for here now.
func (s *Store) ForApplying(ctx context.Context, userID, vacancyID int64) (t Target, err error) {
	defer wrap(&err, "load vacancy %d to apply for", vacancyID)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return t, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	if t, err = s.openVacancy(ctx, tx, vacancyID, ""); err != nil {
		return t, err
	}
	if t.Questions, err = questions(ctx, tx, t.PartnerID); err != nil {
		return t, err
	}
	err = tx.QueryRow(ctx, `SELECT coalesce((SELECT id FROM applications WHERE vacancy_id = $1 AND user_id = $2), 0)`,
		vacancyID, userID).Scan(&t.AppliedID)
	return t, err
}

// openVacancy reads a vacancy that can be applied for on the portal today.
func (s *Store) openVacancy(ctx context.Context, tx pgx.Tx, id int64, lock string) (t Target, err error) {
	var status, method string
	var active bool
	err = tx.QueryRow(ctx, `SELECT v.id, v.title, v.partner_id, p.name, v.closing_on, v.status, v.apply_method, p.active
		FROM vacancies v JOIN partners p ON p.id = v.partner_id WHERE v.id = $1`+lock, id).
		Scan(&t.VacancyID, &t.VacancyTitle, &t.PartnerID, &t.PartnerName, &t.ClosingOn, &status, &method, &active)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return t, ErrNotFound
	case err != nil:
		return t, err
	case !active || (status != "live" && status != "closed"):
		return t, ErrNotFound // not public
	}
	t.VacancyPath = vacancyPath(t.VacancyID, t.VacancyTitle)
	y, m, d := s.now().UTC().Date()
	if status != "live" || method != "portal" || t.ClosingOn.Before(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)) {
		return t, ErrNotOpen
	}
	return t, nil
}

// Apply makes userID's application for vacancyID: a live, open job of an
// active partner that takes applications on the portal (else ErrNotOpen).
// It needs a complete profile, a role-specific statement and an answer to
// every screening question of the partner, and refuses a second
// application to the same job (all ValidationError). The profile is copied
// into the application; the passport only when sharePassport is true. The
// applicant gets a receipt by e-mail once it is saved.
func (s *Store) Apply(ctx context.Context, userID, vacancyID int64, statement string, answers []Answer, sharePassport bool) (id int64, err error) {
	defer wrap(&err, "apply for vacancy %d", vacancyID)
	statement = strings.TrimSpace(strings.ReplaceAll(statement, "\r\n", "\n"))
	var t Target
	var p profiles.Profile
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if t, err = s.openVacancy(ctx, tx, vacancyID, " FOR SHARE OF v"); err != nil {
			return err
		}
		if p, err = profiles.GetTx(ctx, tx, userID); errors.Is(err, profiles.ErrNotFound) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		qs, err := questions(ctx, tx, t.PartnerID)
		if err != nil {
			return err
		}
		kept, errs := checkApplication(p, statement, qs, answers)
		var already bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM applications WHERE vacancy_id = $1 AND user_id = $2)`,
			vacancyID, userID).Scan(&already); err != nil {
			return err
		}
		if already {
			return ValidationError{"application": msgAlreadyApplied}
		}
		if len(errs) > 0 {
			return errs
		}
		var passport []byte // NULL unless shared
		if sharePassport {
			items, err := readPassport(ctx, tx, userID)
			if err != nil {
				return err
			}
			if passport, err = json.Marshal(items); err != nil {
				return err
			}
		}
		snapshot, err := json.Marshal(p)
		if err != nil {
			return err
		}
		answersJSON, err := json.Marshal(kept)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `INSERT INTO applications (vacancy_id, partner_id, user_id, name, email, profile, statement,
				answers, passport_shared, passport)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			vacancyID, t.PartnerID, userID, p.Name, p.Email, snapshot, statement, answersJSON, sharePassport, passport).Scan(&id)
		if pgErr := (*pgconn.PgError)(nil); errors.As(err, &pgErr) && pgErr.Code == "23505" {
			return ValidationError{"application": msgAlreadyApplied} // a second form sent at the same moment
		}
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO application_events (application_id, status, actor_id) VALUES ($1, $2, $3)`,
			id, Submitted, userID)
		return err
	})
	if err != nil {
		return 0, err
	}
	s.send(ctx, p.Email, "application-received", statusMail{Name: p.Name, Role: t.VacancyTitle, Employer: t.PartnerName,
		Status: Label(Submitted), Link: s.applicantLink(id)})
	return id, nil
}

const msgAlreadyApplied = "You have already applied for this job. You can see your application in your account."

// checkApplication checks what the applicant sends against the profile and
// the partner's questions, and returns the answers to keep, in question
// order, with the questions' words.
func checkApplication(p profiles.Profile, statement string, qs []Question, answers []Answer) ([]Answer, ValidationError) {
	errs := ValidationError{}
	if ok, missing := p.Complete(); !ok {
		errs["profile"] = "Your profile is not complete. Add " + joinWords(missing) + " to your profile, then apply."
	}
	switch n := utf8.RuneCountInString(statement); {
	case n == 0:
		errs["statement"] = "Say why you are applying for this job and how you meet what it asks for"
	case n > MaxStatement:
		errs["statement"] = fmt.Sprintf("The statement must be %d characters or fewer (it has %d)", MaxStatement, n)
	}
	kept := make([]Answer, 0, len(qs))
	for _, q := range qs {
		var text string
		for _, a := range answers {
			if a.QuestionID == q.ID {
				text = strings.TrimSpace(strings.ReplaceAll(a.Answer, "\r\n", "\n"))
			}
		}
		field := AnswerField(q.ID)
		switch n := utf8.RuneCountInString(text); {
		case n == 0:
			errs[field] = "Answer the question: " + q.Text
		case n > MaxAnswer:
			errs[field] = fmt.Sprintf("The answer must be %d characters or fewer (it has %d)", MaxAnswer, n)
		}
		kept = append(kept, Answer{QuestionID: q.ID, Question: q.Text, Answer: text})
	}
	return kept, errs
}

// AnswerField is the form field, and the ValidationError key, of the
// answer to question id.
func AnswerField(id int64) string { return fmt.Sprintf("answer-%d", id) }

// joinWords lists items as people write them: "a, b and c".
func joinWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// readPassport reads the applicant's passport items with the names of
// their evidence files (not the files: those stay with the applicant and
// are served to the partner by package profiles).
func readPassport(ctx context.Context, tx pgx.Tx, userID int64) ([]profiles.PassportItem, error) {
	rows, err := tx.Query(ctx, `
		SELECT i.id, i.kind, i.title, i.provider, i.reference, i.on_update_service, i.completed_on, i.expires_on,
			coalesce((SELECT json_agg(json_build_object('id', e.id, 'name', e.name, 'content_type', e.content_type,
				'size', length(e.data), 'uploaded_at', e.created_at) ORDER BY e.id)
				FROM evidence_files e WHERE e.item_id = i.id), '[]')
		FROM passport_items i WHERE i.user_id = $1
		ORDER BY array_position(ARRAY['training', 'dbs', 'occupational-health'], i.kind), i.completed_on DESC NULLS LAST, i.id`, userID)
	if err != nil {
		return nil, err
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (i profiles.PassportItem, err error) {
		var completed, expires *time.Time
		var evidence []byte
		if err := row.Scan(&i.ID, &i.Kind, &i.Title, &i.Provider, &i.Reference, &i.OnUpdateService, &completed, &expires,
			&evidence); err != nil {
			return i, err
		}
		if completed != nil {
			i.CompletedOn = *completed
		}
		if expires != nil {
			i.ExpiresOn = *expires
		}
		return i, json.Unmarshal(evidence, &i.Evidence)
	})
	if items == nil {
		items = []profiles.PassportItem{}
	}
	return items, err
}
