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

	"github.com/regionalcareers/portal/internal/profiles"
)

// The recruiter's side. Every method takes the partner the recruiter acts
// for, and another partner's application is ErrNotFound, exactly like one
// that does not exist.

// Filter chooses the applications ListForPartner lists.
type Filter struct {
	VacancyID int64  // 0: every vacancy's
	Status    string // "": every status
	Page      int    // from 1; 0 means 1
	PerPage   int    // 0 means DefaultPerPage; at most MaxPerPage
}

// ListForPartner returns one page of partnerID's applications that f
// chooses, newest first, and how many there are in all. Names are blank
// while an application is anonymised.
func (s *Store) ListForPartner(ctx context.Context, partnerID int64, f Filter) (list []Summary, total int, err error) {
	defer wrap(&err, "list applications of partner %d", partnerID)
	if f.Status != "" && !Known(f.Status) {
		return nil, 0, ValidationError{"status": "Choose a status from the list"}
	}
	page, perPage := max(f.Page, 1), f.PerPage
	if perPage <= 0 {
		perPage = DefaultPerPage
	}
	perPage = min(perPage, MaxPerPage)
	where := ` WHERE a.partner_id = $1 AND ($2::bigint = 0 OR a.vacancy_id = $2) AND ($3::text = '' OR a.status = $3)`
	args := []any{partnerID, f.VacancyID, f.Status}
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM applications a`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.pool.Query(ctx, `
		SELECT a.id, a.vacancy_id, v.title, p.name, a.name, a.status, a.submitted_at, a.updated_at,
			`+revealedSQL+` AND a.anonymised_at IS NULL
		FROM applications a JOIN vacancies v ON v.id = a.vacancy_id JOIN partners p ON p.id = a.partner_id`+where+`
		ORDER BY a.submitted_at DESC, a.id DESC LIMIT $4 OFFSET $5`, append(args, perPage, (page-1)*perPage)...)
	if err != nil {
		return nil, 0, err
	}
	list, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (a Summary, err error) {
		var revealed bool
		err = row.Scan(&a.ID, &a.VacancyID, &a.VacancyTitle, &a.PartnerName, &a.Name, &a.Status, &a.SubmittedAt,
			&a.UpdatedAt, &revealed)
		a.Candidate, a.Anonymised = CandidateRef(a.ID), !revealed
		if !revealed {
			a.Name = ""
		}
		return a, err
	})
	return list, total, err
}

// StatusCounts counts partnerID's applications by status (every status is
// a key), for one vacancy or, with vacancyID 0, all of them.
func (s *Store) StatusCounts(ctx context.Context, partnerID, vacancyID int64) (counts map[string]int, err error) {
	defer wrap(&err, "count applications of partner %d", partnerID)
	counts = map[string]int{}
	for _, st := range Statuses {
		counts[st.Value] = 0
	}
	rows, err := s.pool.Query(ctx, `SELECT status, count(*) FROM applications
		WHERE partner_id = $1 AND ($2::bigint = 0 OR vacancy_id = $2) GROUP BY status`, partnerID, vacancyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		counts[status] = n
	}
	return counts, rows.Err()
}

// VacancyCount is one of a partner's vacancies with how many applications
// it has had on the portal.
type VacancyCount struct {
	ID           int64
	Title        string
	Ref          string
	Status       string
	OnPortal     bool // applied for on the portal now
	Applications int
}

// Vacancies lists partnerID's vacancies that take applications on the
// portal or have had some, newest first, with their counts.
func (s *Store) Vacancies(ctx context.Context, partnerID int64) (list []VacancyCount, err error) {
	defer wrap(&err, "vacancies with applications of partner %d", partnerID)
	rows, err := s.pool.Query(ctx, `
		SELECT v.id, v.title, v.external_ref, v.status, v.apply_method = 'portal',
			(SELECT count(*) FROM applications a WHERE a.vacancy_id = v.id)
		FROM vacancies v
		WHERE v.partner_id = $1 AND (v.apply_method = 'portal' OR EXISTS (SELECT 1 FROM applications a WHERE a.vacancy_id = v.id))
		ORDER BY v.posted_on DESC, v.id DESC`, partnerID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (v VacancyCount, err error) {
		err = row.Scan(&v.ID, &v.Title, &v.Ref, &v.Status, &v.OnPortal, &v.Applications)
		return v, err
	})
}

// selectApplication reads one application whole, with whether it has
// reached a status that reveals the applicant.
const selectApplication = `
	SELECT a.id, a.vacancy_id, v.title, v.external_ref, a.partner_id, p.name, p.slug, a.status, a.name, a.email,
		a.profile, a.statement, a.answers, a.passport_shared, a.passport, a.submitted_at, a.updated_at,
		a.anonymised_at IS NOT NULL, ` + revealedSQL + `
	FROM applications a JOIN vacancies v ON v.id = a.vacancy_id JOIN partners p ON p.id = a.partner_id`

func scanApplication(row pgx.Row) (a Application, revealed bool, err error) {
	var profile, answers, passport []byte
	err = row.Scan(&a.ID, &a.VacancyID, &a.VacancyTitle, &a.VacancyRef, &a.PartnerID, &a.PartnerName, &a.PartnerSlug,
		&a.Status, &a.Name, &a.Email, &profile, &a.Statement, &answers, &a.PassportShared, &passport, &a.SubmittedAt,
		&a.UpdatedAt, &a.Redacted, &revealed)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, false, ErrNotFound
	}
	if err != nil {
		return a, false, err
	}
	a.Candidate, a.VacancyPath = CandidateRef(a.ID), vacancyPath(a.VacancyID, a.VacancyTitle)
	if err := json.Unmarshal(profile, &a.Profile); err != nil {
		return a, false, fmt.Errorf("decode profile copy: %w", err)
	}
	if err := json.Unmarshal(answers, &a.Answers); err != nil {
		return a, false, fmt.Errorf("decode answers: %w", err)
	}
	if passport != nil {
		if err := json.Unmarshal(passport, &a.Passport); err != nil {
			return a, false, fmt.Errorf("decode passport copy: %w", err)
		}
	}
	return a, revealed, nil
}

// GetForPartner returns partnerID's application id with its history, as
// the recruiter may see it: anonymised until it has been shortlisted.
func (s *Store) GetForPartner(ctx context.Context, partnerID, id int64) (a Application, err error) {
	defer wrap(&err, "get application %d for partner %d", id, partnerID)
	a, revealed, err := scanApplication(s.pool.QueryRow(ctx, selectApplication+` WHERE a.id = $1 AND a.partner_id = $2`,
		id, partnerID))
	if err != nil {
		return Application{}, err
	}
	if !revealed || a.Redacted {
		a = anonymised(a)
	}
	a.Moves = RecruiterMoves(a.Status)
	a.Events, err = s.events(ctx, id)
	return a, err
}

// anonymised is a copy of a without what says who the applicant is: name,
// contact details, referees, registration and certificate numbers, and the
// evidence files (whose contents carry the name). What the applicant has
// done and written stays, to shortlist on.
func anonymised(a Application) Application {
	p := a.Profile
	a.Anonymised = true
	a.Name, a.Email = "", ""
	a.Profile = profiles.Profile{RightToWork: p.RightToWork, RegistrationBody: p.RegistrationBody,
		Statement: p.Statement, WorkHistory: p.WorkHistory, Education: p.Education}
	if a.Passport != nil {
		items := make([]profiles.PassportItem, len(a.Passport))
		for i, item := range a.Passport {
			item.Reference, item.Evidence = "", nil
			items[i] = item
		}
		a.Passport = items
	}
	return a
}

func (s *Store) events(ctx context.Context, id int64) ([]Event, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT e.at, e.status, e.note, coalesce(e.actor_id = a.user_id, false)
		FROM application_events e JOIN applications a ON a.id = e.application_id
		WHERE e.application_id = $1 ORDER BY e.at, e.status`, id)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (e Event, err error) {
		err = row.Scan(&e.At, &e.Status, &e.Note, &e.ByApplicant)
		return e, err
	})
}

// MoveStatus moves partnerID's application id to status on behalf of
// actorID, with an optional note for the applicant, and e-mails the
// applicant once the change is saved. A move RecruiterCanMove refuses is
// a ValidationError on "status".
func (s *Store) MoveStatus(ctx context.Context, partnerID, actorID, id int64, status, note string) (err error) {
	defer wrap(&err, "move application %d to %s", id, status)
	note = strings.TrimSpace(strings.ReplaceAll(note, "\r\n", "\n"))
	if n := utf8.RuneCountInString(note); n > MaxNote {
		return ValidationError{"note": fmt.Sprintf("The message must be %d characters or fewer (it has %d)", MaxNote, n)}
	}
	var m statusMail
	var to string
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var cur string
		err := tx.QueryRow(ctx, `
			SELECT a.status, coalesce(u.email, ''), coalesce(u.name, ''), v.title, p.name
			FROM applications a JOIN vacancies v ON v.id = a.vacancy_id JOIN partners p ON p.id = a.partner_id
				LEFT JOIN users u ON u.id = a.user_id AND a.anonymised_at IS NULL
			WHERE a.id = $1 AND a.partner_id = $2 FOR UPDATE OF a`, id, partnerID).
			Scan(&cur, &to, &m.Name, &m.Role, &m.Employer)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if msg := moveRefusal(cur, status); msg != "" {
			return ValidationError{"status": msg}
		}
		return changeStatus(ctx, tx, id, status, actorID, note)
	})
	if err != nil {
		return err
	}
	m.Status, m.Note, m.Link = Label(status), note, s.applicantLink(id)
	s.send(ctx, to, "application-status", m)
	return nil
}

// moveRefusal says why a recruiter may not move an application from one
// status to another; "" when they may.
func moveRefusal(from, to string) string {
	switch {
	case RecruiterCanMove(from, to):
		return ""
	case Final(from):
		return "This application is " + strings.ToLower(Label(from)) + ": its status cannot change any more"
	case !Known(to):
		return "Choose the new status from the list"
	}
	return "An application that is " + strings.ToLower(Label(from)) + " can only move on, or to unsuccessful"
}

// changeStatus records a status change and its event.
func changeStatus(ctx context.Context, tx pgx.Tx, id int64, status string, actorID int64, note string) error {
	if _, err := tx.Exec(ctx, `UPDATE applications SET status = $2, updated_at = now() WHERE id = $1`, id, status); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO application_events (application_id, status, actor_id, note) VALUES ($1, $2, $3, $4)`,
		id, status, nullID(actorID), note)
	return err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// ukTime is the clock dates are written in for people in the region.
var ukTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()
