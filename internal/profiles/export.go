package profiles

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// Export is everything the portal holds about one person, as they may
// download it: their account, profile, passport (file names, not files),
// applications with their history, job alerts and signed-in sessions.
type Export struct {
	ExportedAt   time.Time         `json:"exported_at"`
	Account      AccountData       `json:"account"`
	Profile      Profile           `json:"profile"`
	Passport     []PassportItem    `json:"passport"`
	Applications []ApplicationData `json:"applications"`
	Alerts       []AlertData       `json:"job_alerts"`
	Sessions     []SessionData     `json:"sessions"`
}

// AccountData is the account as the export shows it: no password hash,
// two-factor secret or recovery codes.
type AccountData struct {
	ID                int64            `json:"id"`
	Email             string           `json:"email"`
	Name              string           `json:"name"`
	Role              string           `json:"role"`
	EmailVerifiedAt   time.Time        `json:"email_verified_at,omitzero"`
	TwoFactorSignIn   bool             `json:"two_factor_sign_in"`
	PasswordChangedAt time.Time        `json:"password_changed_at"`
	LastSignInAt      time.Time        `json:"last_sign_in_at,omitzero"`
	CreatedAt         time.Time        `json:"created_at"`
	Memberships       []MembershipData `json:"organisations"`
}

// MembershipData is one organisation the person works for on the portal.
type MembershipData struct {
	Partner string `json:"organisation"`
	Role    string `json:"role"`
}

// ApplicationData is one application as it was sent, with what happened
// to it since.
type ApplicationData struct {
	ID             int64              `json:"id"`
	VacancyID      int64              `json:"vacancy_id"`
	Vacancy        string             `json:"vacancy"`
	Partner        string             `json:"employer"`
	Status         string             `json:"status"`
	Name           string             `json:"name"`
	Email          string             `json:"email"`
	Profile        json.RawMessage    `json:"profile"`
	Statement      string             `json:"statement"`
	Answers        json.RawMessage    `json:"answers"`
	PassportShared bool               `json:"passport_shared"`
	Passport       json.RawMessage    `json:"passport,omitempty"`
	SubmittedAt    time.Time          `json:"submitted_at"`
	UpdatedAt      time.Time          `json:"updated_at"`
	History        []ApplicationEvent `json:"history"`
}

// ApplicationEvent is one change of an application's status.
type ApplicationEvent struct {
	At     time.Time `json:"at"`
	Status string    `json:"status"`
	Note   string    `json:"note,omitempty"`
}

// AlertData is one job alert sent to the person's address.
type AlertData struct {
	Email          string    `json:"email"`
	Description    string    `json:"description"`
	Query          string    `json:"search"`
	Frequency      string    `json:"frequency"`
	ConfirmedAt    time.Time `json:"confirmed_at,omitzero"`
	UnsubscribedAt time.Time `json:"unsubscribed_at,omitzero"`
	LastSentAt     time.Time `json:"last_sent_at,omitzero"`
	CreatedAt      time.Time `json:"created_at"`
}

// SessionData is one browser signed in to the account.
type SessionData struct {
	Browser    string    `json:"browser"`
	IP         string    `json:"ip_address"`
	SignedInAt time.Time `json:"signed_in_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
}

// Export gathers everything held about the user; ErrNotFound when there
// is no such user.
func (s *Store) Export(ctx context.Context, userID int64) (x Export, err error) {
	defer wrap(&err, "export data of user %d", userID)
	x.ExportedAt = s.now().UTC()
	if x.Account, err = s.exportAccount(ctx, userID); err != nil {
		return x, err
	}
	if x.Profile, err = s.Get(ctx, userID); err != nil {
		return x, err
	}
	if x.Passport, err = s.Passport(ctx, userID); err != nil {
		return x, err
	}
	x.Passport = nonNil(x.Passport)
	if x.Applications, err = s.exportApplications(ctx, userID); err != nil {
		return x, err
	}
	if x.Alerts, err = collect(ctx, s, `
		SELECT email::text, description, query, frequency, confirmed_at, unsubscribed_at, last_sent_at, created_at
		FROM alerts WHERE user_id = $1 OR email = $2 ORDER BY created_at, id`,
		func(row pgx.CollectableRow) (a AlertData, err error) {
			var confirmed, unsubscribed, sent *time.Time
			err = row.Scan(&a.Email, &a.Description, &a.Query, &a.Frequency, &confirmed, &unsubscribed, &sent, &a.CreatedAt)
			a.ConfirmedAt, a.UnsubscribedAt, a.LastSentAt = orZero(confirmed), orZero(unsubscribed), orZero(sent)
			return a, err
		}, userID, x.Account.Email); err != nil {
		return x, err
	}
	x.Sessions, err = collect(ctx, s, `
		SELECT user_agent, ip, created_at, last_seen_at FROM sessions
		WHERE user_id = $1 AND expires_at > now() ORDER BY created_at`,
		func(row pgx.CollectableRow) (d SessionData, err error) {
			err = row.Scan(&d.Browser, &d.IP, &d.SignedInAt, &d.LastSeenAt)
			return d, err
		}, userID)
	return x, err
}

func (s *Store) exportAccount(ctx context.Context, userID int64) (a AccountData, err error) {
	var verified, lastSignIn *time.Time
	err = s.pool.QueryRow(ctx, `
		SELECT id, email::text, name, role, email_verified_at, totp_enabled_at IS NOT NULL, password_changed_at,
			last_sign_in_at, created_at
		FROM users WHERE id = $1`, userID).Scan(&a.ID, &a.Email, &a.Name, &a.Role, &verified, &a.TwoFactorSignIn,
		&a.PasswordChangedAt, &lastSignIn, &a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	if err != nil {
		return a, err
	}
	a.EmailVerifiedAt, a.LastSignInAt = orZero(verified), orZero(lastSignIn)
	a.Memberships, err = collect(ctx, s, `
		SELECT p.name, m.role FROM memberships m JOIN partners p ON p.id = m.partner_id
		WHERE m.user_id = $1 ORDER BY lower(p.name)`,
		func(row pgx.CollectableRow) (m MembershipData, err error) {
			err = row.Scan(&m.Partner, &m.Role)
			return m, err
		}, userID)
	return a, err
}

func (s *Store) exportApplications(ctx context.Context, userID int64) ([]ApplicationData, error) {
	list, err := collect(ctx, s, `
		SELECT a.id, a.vacancy_id, coalesce(v.title, ''), coalesce(p.name, ''), a.status, a.name, a.email, a.profile,
			a.statement, a.answers, a.passport_shared, a.passport, a.submitted_at, a.updated_at
		FROM applications a
		LEFT JOIN vacancies v ON v.id = a.vacancy_id
		LEFT JOIN partners p ON p.id = a.partner_id
		WHERE a.user_id = $1 ORDER BY a.submitted_at, a.id`,
		func(row pgx.CollectableRow) (a ApplicationData, err error) {
			var passport []byte
			err = row.Scan(&a.ID, &a.VacancyID, &a.Vacancy, &a.Partner, &a.Status, &a.Name, &a.Email, &a.Profile,
				&a.Statement, &a.Answers, &a.PassportShared, &passport, &a.SubmittedAt, &a.UpdatedAt)
			if passport != nil {
				a.Passport = passport
			}
			return a, err
		}, userID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].History, err = collect(ctx, s, `
			SELECT at, status, note FROM application_events WHERE application_id = $1 ORDER BY at`,
			func(row pgx.CollectableRow) (e ApplicationEvent, err error) {
				err = row.Scan(&e.At, &e.Status, &e.Note)
				return e, err
			}, list[i].ID)
		if err != nil {
			return nil, err
		}
	}
	return list, nil
}

// collect runs a query and scans every row; an empty result is an empty
// list, so the export shows [] rather than null.
func collect[T any](ctx context.Context, s *Store, sql string, scan func(pgx.CollectableRow) (T, error), args ...any) ([]T, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, scan)
	if list == nil && err == nil {
		list = []T{}
	}
	return list, err
}

func orZero(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// DeleteAccount deletes the user. The database takes their profile,
// passport, evidence files, sessions, memberships and alerts with them;
// applications keep their snapshot with no user (the schema sets it NULL)
// until the retention job anonymises them. Alerts confirmed at the same
// address without signing in, and the record of what was sent there, go
// too: they are the same person's. ErrNotFound when there is no such user.
func (s *Store) DeleteAccount(ctx context.Context, userID int64) (err error) {
	defer wrap(&err, "delete account %d", userID)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var email string
		err := tx.QueryRow(ctx, `DELETE FROM users WHERE id = $1 RETURNING email::text`, userID).Scan(&email)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM alerts WHERE email = $1`, email); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM alert_sent WHERE email = $1`, email)
		return err
	})
}
