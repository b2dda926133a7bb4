// Package alerts owns job alerts: saved searches people subscribe to by
// e-mail with a double opt-in, the signed links that confirm, manage and
// end them, and the digests that e-mail new matching roles, with the
// alerts and alert_sent tables. It must not know HTTP, sessions or rate
// limits (the site decides who may subscribe which address), and it reads
// vacancies only through search and the vacancies store.
package alerts

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/search"
)

// ErrNotFound is returned for an unknown alert, and for a link token that
// is malformed or was not signed by this server.
var ErrNotFound = errors.New("job alert not found")

// ErrUnsubscribed is returned when changing an alert its owner has ended.
var ErrUnsubscribed = errors.New("job alert has been unsubscribed")

// ValidationError carries field errors written for people: "email",
// "frequency" and "query".
type ValidationError map[string]string

func (e ValidationError) Error() string {
	fields := make([]string, 0, len(e))
	for f := range e {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for i, f := range fields {
		fields[i] = f + ": " + e[f]
	}
	return "invalid job alert: " + strings.Join(fields, "; ")
}

// Alert is one saved search and where it goes.
type Alert struct {
	ID             int64
	Email          string
	UserID         int64  // 0 when no account owns it
	Query          string // the /jobs query string, normalised
	Description    string
	Frequency      string
	ConfirmedAt    time.Time // zero until the address confirms
	UnsubscribedAt time.Time // zero while it runs
	LastSentAt     time.Time // zero before the first e-mail
	CreatedAt      time.Time
	Token          string // its link token, for confirm, manage and unsubscribe links
}

// Confirmed reports whether the address has confirmed the alert.
func (a Alert) Confirmed() bool { return !a.ConfirmedAt.IsZero() }

// Unsubscribed reports whether the alert has been ended.
func (a Alert) Unsubscribed() bool { return !a.UnsubscribedAt.IsZero() }

// Store reads and writes alerts.
type Store struct {
	pool   *pgxpool.Pool
	secret []byte
	gaz    *geo.Gazetteer
	now    func() time.Time
}

// NewStore returns a Store on pool that signs links with secret
// (PORTAL_SECRET) and checks saved searches' places with gaz.
func NewStore(pool *pgxpool.Pool, secret []byte, gaz *geo.Gazetteer) *Store {
	return &Store{pool: pool, secret: secret, gaz: gaz, now: time.Now}
}

// SetClock replaces the clock (tests).
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// looksLikeEmail is deliberately loose: the confirmation e-mail is the
// real test of an address.
var looksLikeEmail = regexp.MustCompile(`^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$`)

// Check validates an address and a frequency, as Subscribe does, so a
// caller can refuse bad input before spending a rate-limit attempt.
func Check(email, frequency string) ValidationError {
	errs := ValidationError{}
	email = strings.TrimSpace(email)
	switch {
	case email == "":
		errs["email"] = "Enter your e-mail address"
	case len(email) > 254:
		errs["email"] = "E-mail address must be 254 characters or fewer"
	case !looksLikeEmail.MatchString(email):
		errs["email"] = "Enter an e-mail address in the correct format, like name@example.com"
	}
	if !slices.Contains(Frequencies, frequency) {
		errs["frequency"] = "Choose how often you want to get e-mails"
	}
	return errs
}

const alertColumns = `id, email, coalesce(user_id, 0), query, description, frequency,
	confirmed_at, unsubscribed_at, last_sent_at, created_at`

func (s *Store) scan(row pgx.Row) (a Alert, err error) {
	var confirmed, unsubscribed, lastSent *time.Time
	err = row.Scan(&a.ID, &a.Email, &a.UserID, &a.Query, &a.Description, &a.Frequency,
		&confirmed, &unsubscribed, &lastSent, &a.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, ErrNotFound
	}
	for _, t := range []struct {
		from *time.Time
		into *time.Time
	}{
		{confirmed, &a.ConfirmedAt}, {unsubscribed, &a.UnsubscribedAt}, {lastSent, &a.LastSentAt},
	} {
		if t.from != nil {
			*t.into = *t.from
		}
	}
	a.Token = s.Token(a.ID)
	return a, err
}

// Subscribe saves a search for email and returns the alert's link token.
// query is the /jobs query string as it came; it must parse as a search
// (a ValidationError for "query" otherwise) and is saved without page and
// sort. description says in words what it matches (see Describe).
//
// userID is non-zero only when the caller has checked that email is the
// signed-in account's own verified address: the alert then belongs to the
// account and runs at once. Anyone else's alert sends nothing until the
// address confirms it through the link in an e-mail (double opt-in).
//
// Subscribing an address to a search it already has (not unsubscribed)
// returns that alert again, unchanged when it is confirmed, so a stranger
// cannot change someone's alert; a pending one takes the new frequency.
func (s *Store) Subscribe(ctx context.Context, email string, userID int64, query url.Values, description, frequency string) (token string, err error) {
	defer wrap(&err, "subscribe to a job alert")
	email = strings.TrimSpace(email)
	errs := Check(email, frequency)
	q, qerr := search.ParseVacancyQuery(query, s.gaz)
	if qerr != nil {
		errs["query"] = "This search cannot be saved: " + firstMessage(qerr)
	}
	if len(errs) > 0 {
		return "", errs
	}
	saved := Normalise(q)
	description = strings.Join(strings.Fields(description), " ") // one line: it goes into subjects
	if description == "" {
		description = Describe(q, nil)
	}
	var owner *int64
	if userID != 0 {
		owner = &userID
	}
	var id int64
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var confirmed bool
		err := tx.QueryRow(ctx, `SELECT id, confirmed_at IS NOT NULL FROM alerts
			WHERE email = $1 AND query = $2 AND unsubscribed_at IS NULL ORDER BY id LIMIT 1 FOR UPDATE`,
			email, saved).Scan(&id, &confirmed)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return s.insert(ctx, tx, &id, email, owner, saved, description, frequency)
		case err != nil:
			return err
		case owner != nil:
			_, err = tx.Exec(ctx, `UPDATE alerts SET user_id = $2, description = $3, frequency = $4,
				confirmed_at = coalesce(confirmed_at, $5) WHERE id = $1`, id, owner, description, frequency, s.now())
			return err
		case !confirmed:
			_, err = tx.Exec(ctx, `UPDATE alerts SET description = $2, frequency = $3 WHERE id = $1`, id, description, frequency)
			return err
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return s.Token(id), nil
}

// insert adds an alert. Its token needs its id, so the row goes in with a
// random placeholder hash that is replaced in the same transaction.
func (s *Store) insert(ctx context.Context, tx pgx.Tx, id *int64, email string, owner *int64, query, description, frequency string) error {
	var confirmedAt *time.Time
	if owner != nil {
		now := s.now()
		confirmedAt = &now
	}
	err := tx.QueryRow(ctx, `INSERT INTO alerts (email, user_id, query, description, frequency, token_hash, confirmed_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		email, owner, query, description, frequency, []byte(rand.Text()), confirmedAt, s.now()).Scan(id)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE alerts SET token_hash = $2 WHERE id = $1`, *id, s.tokenHash(*id))
	return err
}

func firstMessage(err error) string {
	if pe := search.FirstParamError(err); pe != nil {
		return pe.Message
	}
	return err.Error()
}

// ByToken returns the alert a link token was issued for, in any state, or
// ErrNotFound.
func (s *Store) ByToken(ctx context.Context, token string) (a Alert, err error) {
	defer wrap(&err, "find job alert by token")
	id, ok := s.parseToken(token)
	if !ok {
		return a, ErrNotFound
	}
	return s.Get(ctx, id)
}

// Get returns the alert with id, in any state, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Alert, error) {
	return s.scan(s.pool.QueryRow(ctx, `SELECT `+alertColumns+` FROM alerts WHERE id = $1`, id))
}

// Confirm confirms the alert a token was issued for and returns it. It is
// idempotent, and leaves an unsubscribed alert ended.
func (s *Store) Confirm(ctx context.Context, token string) (a Alert, err error) {
	defer wrap(&err, "confirm job alert")
	id, ok := s.parseToken(token)
	if !ok {
		return a, ErrNotFound
	}
	a, err = s.scan(s.pool.QueryRow(ctx, `UPDATE alerts SET confirmed_at = coalesce(confirmed_at, $2)
		WHERE id = $1 AND unsubscribed_at IS NULL RETURNING `+alertColumns, id, s.now()))
	if errors.Is(err, ErrNotFound) {
		return s.Get(ctx, id) // unsubscribed, or gone
	}
	return a, err
}

// Unsubscribe ends the alert a token was issued for and returns it. Ending
// it again changes nothing.
func (s *Store) Unsubscribe(ctx context.Context, token string) (a Alert, err error) {
	defer wrap(&err, "unsubscribe from job alert")
	id, ok := s.parseToken(token)
	if !ok {
		return a, ErrNotFound
	}
	return s.scan(s.pool.QueryRow(ctx, `UPDATE alerts SET unsubscribed_at = coalesce(unsubscribed_at, $2)
		WHERE id = $1 RETURNING `+alertColumns, id, s.now()))
}

// ChangeFrequency sets how often the alert a token was issued for sends.
// It returns ErrUnsubscribed for an ended alert.
func (s *Store) ChangeFrequency(ctx context.Context, token, frequency string) (a Alert, err error) {
	defer wrap(&err, "change job alert frequency")
	if !slices.Contains(Frequencies, frequency) {
		return a, ValidationError{"frequency": "Choose how often you want to get e-mails"}
	}
	a, err = s.ByToken(ctx, token)
	if err != nil {
		return a, err
	}
	if a.Unsubscribed() {
		return a, ErrUnsubscribed
	}
	return s.scan(s.pool.QueryRow(ctx, `UPDATE alerts SET frequency = $2
		WHERE id = $1 AND unsubscribed_at IS NULL RETURNING `+alertColumns, a.ID, frequency))
}

// ListForEmail returns the address's alerts that have not been ended,
// newest first.
func (s *Store) ListForEmail(ctx context.Context, email string) (list []Alert, err error) {
	defer wrap(&err, "list job alerts for an address")
	return s.list(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE email = $1 AND unsubscribed_at IS NULL ORDER BY created_at DESC, id DESC`, strings.TrimSpace(email))
}

// ListForUser returns the alerts an account owns, and every other alert to
// its address once that address is verified (it may have set them up
// before signing up), that have not been ended, newest first.
func (s *Store) ListForUser(ctx context.Context, userID int64) (list []Alert, err error) {
	defer wrap(&err, "list job alerts for user %d", userID)
	return s.list(ctx, `SELECT `+alertColumns+` FROM alerts
		WHERE unsubscribed_at IS NULL AND (user_id = $1
			OR email = (SELECT email FROM users WHERE id = $1 AND email_verified_at IS NOT NULL))
		ORDER BY created_at DESC, id DESC`, userID)
}

func (s *Store) list(ctx context.Context, sql string, args ...any) ([]Alert, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []Alert
	for rows.Next() {
		a, err := s.scan(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

// wrap adds the operation to an error, leaving ErrNotFound, ErrUnsubscribed
// and validation errors recognisable with errors.Is and errors.As.
func wrap(err *error, format string, args ...any) {
	if *err != nil {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}
