package profiles

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Kinds of passport item.
const (
	Training           = "training"
	DBS                = "dbs"
	OccupationalHealth = "occupational-health"
)

// Kinds are the kinds of passport item in the order the passport shows them.
var Kinds = []string{Training, DBS, OccupationalHealth}

// ExpiresSoonDays is how far ahead an expiry date counts as soon.
const ExpiresSoonDays = 60

// PassportItem is one record in someone's staff passport: a training
// course, a DBS check or an occupational health clearance.
type PassportItem struct {
	ID              int64      `json:"id"`
	Kind            string     `json:"kind"`
	Title           string     `json:"title"`     // the course, the DBS level, the clearance
	Provider        string     `json:"provider"`  // who trained, checked or cleared
	Reference       string     `json:"reference"` // the DBS certificate number; a certificate number otherwise
	OnUpdateService bool       `json:"on_update_service"`
	CompletedOn     time.Time  `json:"completed_on,omitzero"` // a date; zero when not given
	ExpiresOn       time.Time  `json:"expires_on,omitzero"`   // a date; zero when it does not expire
	Evidence        []Evidence `json:"evidence"`
}

// day is the calendar date of t where t is read, at midnight UTC, the
// form dates are stored in.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Expired reports whether the item's expiry date has passed: it is still
// good on the day it expires.
func (i PassportItem) Expired(today time.Time) bool {
	return !i.ExpiresOn.IsZero() && day(i.ExpiresOn).Before(day(today))
}

// ExpiresSoon reports whether the item is still good but expires within
// ExpiresSoonDays.
func (i PassportItem) ExpiresSoon(today time.Time) bool {
	return !i.ExpiresOn.IsZero() && !i.Expired(today) && !day(i.ExpiresOn).After(day(today).AddDate(0, 0, ExpiresSoonDays))
}

// Validate checks an item as the passport form saves it, on the date
// today. Keys are the form's field names.
func (i PassportItem) Validate(today time.Time) map[string]string {
	errs := map[string]string{}
	if !slices.Contains(Kinds, i.Kind) {
		errs["kind"] = "Choose training, a DBS check or occupational health"
	}
	titleMissing := map[string]string{
		Training:           "Enter the training course or topic, like Basic life support",
		DBS:                "Enter the level of the check, like Enhanced with barred lists",
		OccupationalHealth: "Enter the clearance, like Fit to work with patients",
	}[i.Kind]
	if titleMissing == "" {
		titleMissing = "Enter a title"
	}
	required(errs, "title", i.Title, titleMissing, maxShortText)
	if utf8.RuneCountInString(strings.TrimSpace(i.Provider)) > maxShortText {
		errs["provider"] = fmt.Sprintf("Enter the provider in %d characters or fewer", maxShortText)
	}
	ref := strings.TrimSpace(i.Reference)
	switch {
	case i.Kind == DBS && ref != "" && !twelveDigits(ref):
		errs["reference"] = "Enter the 12-digit certificate number, like 001234567890"
	case utf8.RuneCountInString(ref) > 100:
		errs["reference"] = "Enter the reference in 100 characters or fewer"
	}
	today = day(today)
	if !i.CompletedOn.IsZero() {
		switch {
		case day(i.CompletedOn).After(today):
			errs["completed_on"] = "The date must be today or in the past"
		case i.CompletedOn.Year() < earliestYear:
			errs["completed_on"] = fmt.Sprintf("The date must be in %d or later", earliestYear)
		}
	}
	if !i.ExpiresOn.IsZero() {
		switch {
		case !i.CompletedOn.IsZero() && day(i.ExpiresOn).Before(day(i.CompletedOn)):
			errs["expires_on"] = "The expiry date must be on or after the date it was done"
		case i.ExpiresOn.Year() > latestYear:
			errs["expires_on"] = fmt.Sprintf("The expiry date must be before %d", latestYear)
		}
	}
	return errs
}

func twelveDigits(s string) bool {
	s = strings.ReplaceAll(s, " ", "")
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (i *PassportItem) normalise() {
	i.Title, i.Provider, i.Reference = strings.TrimSpace(i.Title), strings.TrimSpace(i.Provider), strings.TrimSpace(i.Reference)
	if i.Kind == DBS {
		i.Reference = strings.ReplaceAll(i.Reference, " ", "")
	} else {
		i.OnUpdateService = false // only a DBS certificate can be on the update service
	}
	if !i.CompletedOn.IsZero() {
		i.CompletedOn = day(i.CompletedOn)
	}
	if !i.ExpiresOn.IsZero() {
		i.ExpiresOn = day(i.ExpiresOn)
	}
}

// ukTime is where "today" is read.
var ukTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

func (s *Store) today() time.Time { return s.now().In(ukTime) }

const itemColumns = `id, kind, title, provider, reference, on_update_service, completed_on, expires_on`

func scanItem(row pgx.Row) (i PassportItem, err error) {
	var completed, expires *time.Time
	if err := row.Scan(&i.ID, &i.Kind, &i.Title, &i.Provider, &i.Reference, &i.OnUpdateService, &completed, &expires); err != nil {
		return i, err
	}
	if completed != nil {
		i.CompletedOn = *completed
	}
	if expires != nil {
		i.ExpiresOn = *expires
	}
	return i, nil
}

// Passport returns the user's items in the order of Kinds, the soonest to
// expire first within a kind (those that never expire last), each with its
// evidence files (without their bytes).
func (s *Store) Passport(ctx context.Context, userID int64) (items []PassportItem, err error) {
	defer wrap(&err, "passport of user %d", userID)
	rows, err := s.pool.Query(ctx, `SELECT `+itemColumns+` FROM passport_items WHERE user_id = $1
		ORDER BY array_position($2::text[], kind), expires_on NULLS LAST, completed_on DESC NULLS LAST, id`, userID, Kinds)
	if err != nil {
		return nil, err
	}
	items, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (PassportItem, error) { return scanItem(row) })
	if err != nil || len(items) == 0 {
		return items, err
	}
	evidence, err := s.evidenceOf(ctx, userID, 0)
	if err != nil {
		return nil, err
	}
	for i := range items {
		items[i].Evidence = nonNil(evidence[items[i].ID])
	}
	return items, nil
}

// Item returns one of the user's items with its evidence; ErrNotFound for
// another user's.
func (s *Store) Item(ctx context.Context, userID, id int64) (i PassportItem, err error) {
	defer wrap(&err, "passport item %d", id)
	i, err = scanItem(s.pool.QueryRow(ctx, `SELECT `+itemColumns+` FROM passport_items WHERE id = $1 AND user_id = $2`, id, userID))
	if errors.Is(err, pgx.ErrNoRows) {
		return i, ErrNotFound
	}
	if err != nil {
		return i, err
	}
	evidence, err := s.evidenceOf(ctx, userID, id)
	i.Evidence = nonNil(evidence[id])
	return i, err
}

// evidenceOf lists the user's evidence files by item: of one item, or of
// all of them when itemID is 0.
func (s *Store) evidenceOf(ctx context.Context, userID, itemID int64) (map[int64][]Evidence, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+evidenceColumns+` FROM evidence_files
		WHERE user_id = $1 AND ($2 = 0 OR item_id = $2) ORDER BY created_at, id`, userID, itemID)
	if err != nil {
		return nil, err
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Evidence, error) { return scanEvidence(row) })
	if err != nil {
		return nil, err
	}
	byItem := map[int64][]Evidence{}
	for _, e := range list {
		byItem[e.ItemID] = append(byItem[e.ItemID], e)
	}
	return byItem, nil
}

// AddItem validates item and adds it to the user's passport.
func (s *Store) AddItem(ctx context.Context, userID int64, item PassportItem) (id int64, err error) {
	defer wrap(&err, "add passport item for user %d", userID)
	item.normalise()
	if errs := item.Validate(s.today()); len(errs) > 0 {
		return 0, ValidationError(errs)
	}
	err = s.pool.QueryRow(ctx, `
		INSERT INTO passport_items (user_id, kind, title, provider, reference, on_update_service, completed_on, expires_on)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		userID, item.Kind, item.Title, item.Provider, item.Reference, item.OnUpdateService,
		nullDate(item.CompletedOn), nullDate(item.ExpiresOn)).Scan(&id)
	return id, err
}

// UpdateItem validates item and replaces the user's item item.ID with it;
// its kind stays what it was. ErrNotFound for another user's item.
func (s *Store) UpdateItem(ctx context.Context, userID int64, item PassportItem) (err error) {
	defer wrap(&err, "update passport item %d", item.ID)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `SELECT kind FROM passport_items WHERE id = $1 AND user_id = $2 FOR UPDATE`,
			item.ID, userID).Scan(&item.Kind)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		item.normalise()
		if errs := item.Validate(s.today()); len(errs) > 0 {
			return ValidationError(errs)
		}
		_, err = tx.Exec(ctx, `
			UPDATE passport_items SET title = $3, provider = $4, reference = $5, on_update_service = $6,
				completed_on = $7, expires_on = $8
			WHERE id = $1 AND user_id = $2`,
			item.ID, userID, item.Title, item.Provider, item.Reference, item.OnUpdateService,
			nullDate(item.CompletedOn), nullDate(item.ExpiresOn))
		return err
	})
}

// DeleteItem removes the user's item and its evidence files; ErrNotFound
// for another user's item.
func (s *Store) DeleteItem(ctx context.Context, userID, id int64) (err error) {
	defer wrap(&err, "delete passport item %d", id)
	tag, err := s.pool.Exec(ctx, `DELETE FROM passport_items WHERE id = $1 AND user_id = $2`, id, userID)
	if err == nil && tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return err
}

func nullDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
