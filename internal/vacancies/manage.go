package vacancies

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// The recruiter console's operations. Each takes the partner the recruiter
// acts for and answers ErrNotFound for another partner's vacancy, exactly as
// for one that does not exist: that is the authorisation boundary, so a
// handler cannot forget it. Vacancies a feed lists are read-only here
// (ErrFromFeed), except that they may be duplicated into a manual draft.

// Action says what saving a vacancy in the console does to its status.
type Action struct {
	Kind string    // ActionDraft, ActionPublish or ActionSchedule
	At   time.Time // when to publish, for ActionSchedule
}

// Action kinds.
const (
	ActionDraft    = "draft"    // save without publishing (takes a live role offline)
	ActionPublish  = "publish"  // live now
	ActionSchedule = "schedule" // live at Action.At
)

// Create validates v and saves it as a new vacancy of partnerID written by
// userID (0 when no user), with the status action gives it. An empty
// ExternalRef gets a generated one, "P" and the vacancy's id.
func (s *Store) Create(ctx context.Context, partnerID, userID int64, v Vacancy, action Action) (id int64, err error) {
	defer wrap(&err, "create vacancy for partner %d", partnerID)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		v.PartnerID = partnerID
		if id, err = reserveID(ctx, tx, &v); err != nil {
			return err
		}
		if errs := applyAction(&v, Vacancy{}, action, time.Now()); len(errs) > 0 {
			return errs
		}
		if err := insertManual(ctx, tx, v, userID); err != nil {
			return err
		}
		if v.Status == Live {
			return s.outbox.VacanciesChanged(ctx, tx, id)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

// Update replaces the content of partnerID's vacancy id with v and gives it
// the status action says. An empty ExternalRef keeps the current one.
func (s *Store) Update(ctx context.Context, partnerID, userID, id int64, v Vacancy, action Action) (err error) {
	defer wrap(&err, "update vacancy %d", id)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := lockEditable(ctx, tx, partnerID, id)
		if err != nil {
			return err
		}
		v.ID, v.PartnerID = id, partnerID
		if strings.TrimSpace(v.ExternalRef) == "" {
			v.ExternalRef = cur.ExternalRef
		}
		if errs := applyAction(&v, cur, action, time.Now()); len(errs) > 0 {
			return errs
		}
		args := append(upsertArgs(v), nullTime(v.PublishAt), nullID(userID), id, applyMethod(v))
		if _, err := tx.Exec(ctx, updateManual, args...); err != nil {
			return referenceTaken(err, v.ExternalRef)
		}
		return s.syncIfShown(ctx, tx, id, cur.Status, v.Status)
	})
}

// Close closes partnerID's vacancy id early, whatever its status: it leaves
// search at once. Closing a closed vacancy does nothing.
func (s *Store) Close(ctx context.Context, partnerID, userID, id int64) (err error) {
	defer wrap(&err, "close vacancy %d", id)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := lockEditable(ctx, tx, partnerID, id)
		if err != nil || cur.Status == Closed {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE vacancies SET status = 'closed', closed_at = now(), publish_at = NULL,
			updated_by = $2, updated_at = now() WHERE id = $1`, id, nullID(userID)); err != nil {
			return err
		}
		return s.syncIfShown(ctx, tx, id, cur.Status, Closed)
	})
}

// Extend moves the closing date of partnerID's vacancy id to closingOn,
// which must be later than the current one and not in the past. A closed
// vacancy is reopened as live (posted date unchanged): extending says the
// recruiter wants applications again. Drafts and scheduled roles keep their
// status.
func (s *Store) Extend(ctx context.Context, partnerID, userID, id int64, closingOn time.Time) (err error) {
	defer wrap(&err, "extend vacancy %d", id)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := lockEditable(ctx, tx, partnerID, id)
		if err != nil {
			return err
		}
		closingOn = Date(closingOn)
		switch {
		case closingOn.Before(Date(time.Now())):
			return ValidationError{"closing_on": "The new closing date must be today or later"}
		case !closingOn.After(cur.ClosingOn):
			return ValidationError{"closing_on": "The new closing date must be after " + cur.ClosingOn.Format("2 January 2006")}
		}
		status := cur.Status
		if status == Closed {
			status = Live
		}
		if _, err := tx.Exec(ctx, `UPDATE vacancies SET closing_on = $2, status = $3, closed_at = NULL,
			updated_by = $4, updated_at = now() WHERE id = $1`, id, closingOn, status, nullID(userID)); err != nil {
			return err
		}
		return s.syncIfShown(ctx, tx, id, cur.Status, status)
	})
}

// Duplicate copies partnerID's vacancy id into a new draft with a fresh
// reference, posted today and open for as many days as the original was.
// A feed's vacancy may be duplicated: the copy is the recruiter's own.
func (s *Store) Duplicate(ctx context.Context, partnerID, userID, id int64) (newID int64, err error) {
	defer wrap(&err, "duplicate vacancy %d", id)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		orig, err := scanVacancy(tx.QueryRow(ctx, selectVacancy+` WHERE v.id = $1 AND v.partner_id = $2`, id, partnerID))
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		days := int(orig.ClosingOn.Sub(orig.PostedOn).Hours() / 24)
		today := Date(time.Now())
		v := orig
		v.ExternalRef, v.Status, v.PublishAt = "", Draft, time.Time{}
		v.PostedOn, v.ClosingOn = today, today.AddDate(0, 0, max(days, 0))
		if newID, err = reserveID(ctx, tx, &v); err != nil {
			return err
		}
		if errs := v.Validate(); len(errs) > 0 {
			return ValidationError(errs)
		}
		return insertManual(ctx, tx, v, userID)
	})
	if err != nil {
		return 0, err
	}
	return newID, nil
}

// PublishDue makes every scheduled vacancy whose publish time is at or
// before now live, posted on its publish date, and enqueues their sync.
func (s *Store) PublishDue(ctx context.Context, now time.Time) (published []int64, err error) {
	defer wrap(&err, "publish scheduled vacancies")
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE vacancies
			SET status = 'live', posted_on = (publish_at AT TIME ZONE 'UTC')::date, publish_at = NULL, updated_at = now()
			WHERE status = 'scheduled' AND publish_at <= $1 RETURNING id`, now)
		if err != nil {
			return err
		}
		if published, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return err
		}
		return s.outbox.VacanciesChanged(ctx, tx, published...)
	})
	return published, err
}

// applyAction sets v's status, posted date and publish time from action,
// given the stored vacancy was (zero when new), and validates the result:
// fully for every action, since even a draft must satisfy the table's
// constraints, and on publish or schedule the closing date must not have
// passed.
func applyAction(v *Vacancy, was Vacancy, action Action, now time.Time) ValidationError {
	today := Date(now)
	v.PublishAt = time.Time{}
	switch action.Kind {
	case ActionDraft:
		v.Status, v.PostedOn = Draft, today
		if !v.ClosingOn.IsZero() && v.ClosingOn.Before(today) {
			v.PostedOn = v.ClosingOn // a draft may keep a past closing date until it is published
		}
	case ActionPublish:
		v.Status, v.PostedOn = Live, today
		if was.Status == Live {
			v.PostedOn = was.PostedOn
		}
	case ActionSchedule:
		v.Status, v.PublishAt, v.PostedOn = Scheduled, action.At, Date(action.At)
	default:
		return ValidationError{"action": "Choose whether to save as a draft, publish now or schedule"}
	}
	errs := ValidationError(v.Validate())
	if action.Kind != ActionDraft && !v.ClosingOn.IsZero() && v.ClosingOn.Before(today) {
		errs["closing_on"] = "The closing date must be today or later"
	}
	if action.Kind == ActionSchedule {
		switch {
		case action.At.IsZero():
			errs["publish_at"] = "Enter the date and time to publish the job"
		case !action.At.After(now):
			errs["publish_at"] = "The publish date must be in the future"
		case !v.ClosingOn.IsZero() && v.ClosingOn.Before(v.PostedOn):
			errs["publish_at"] = "The publish date must be on or before the closing date"
			if errs["closing_on"] == msgClosingBeforePosted {
				delete(errs, "closing_on")
			}
		}
	}
	return errs
}

// lockEditable locks partnerID's vacancy id for the rest of tx and returns
// what the console checks before changing it; ErrNotFound for another
// partner's, ErrFromFeed for a feed's.
func lockEditable(ctx context.Context, tx pgx.Tx, partnerID, id int64) (cur Vacancy, err error) {
	err = tx.QueryRow(ctx, `SELECT v.external_ref, v.status, v.posted_on, v.closing_on, `+fromFeed+`
		FROM vacancies v WHERE v.id = $1 AND v.partner_id = $2 FOR UPDATE`, id, partnerID).
		Scan(&cur.ExternalRef, &cur.Status, &cur.PostedOn, &cur.ClosingOn, &cur.FromFeed)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return cur, ErrNotFound
	case err == nil && cur.FromFeed:
		return cur, ErrFromFeed
	}
	return cur, err
}

// reserveID takes the id a new console vacancy v will have, before it is
// inserted, so an empty reference can be made from it: "P" and the id.
func reserveID(ctx context.Context, tx pgx.Tx, v *Vacancy) (id int64, err error) {
	if err := tx.QueryRow(ctx, `SELECT nextval(pg_get_serial_sequence('vacancies', 'id'))`).Scan(&id); err != nil {
		return 0, err
	}
	v.ID = id
	if strings.TrimSpace(v.ExternalRef) == "" {
		v.ExternalRef = fmt.Sprintf("P%d", id)
	}
	return id, nil
}

// insertManual inserts v, a console vacancy with its id reserved, and its
// locations.
func insertManual(ctx context.Context, tx pgx.Tx, v Vacancy, userID int64) error {
	args := append(upsertArgs(v), nullTime(v.PublishAt), nullID(userID), v.ID, applyMethod(v))
	if _, err := tx.Exec(ctx, insertManualSQL, args...); err != nil {
		return referenceTaken(err, v.ExternalRef)
	}
	return nil
}

// applyMethod is how people apply for v as stored: ApplyExternal unless
// it says ApplyPortal.
func applyMethod(v Vacancy) string {
	if v.AppliesOnPortal() {
		return ApplyPortal
	}
	return ApplyExternal
}

// insertManualSQL and updateManual take upsertArgs' $1 to $23, then the
// publish time, the user, the id and the apply method.
const insertManualSQL = `
WITH v AS (
	INSERT INTO vacancies (id, partner_id, external_ref, title, description, staff_group, band, pay_min, pay_max,
		pay_period, pay_text, contract, patterns, hours_per_week, posted_on, closing_on, status, apply_url,
		passport_accepted, content_hash, publish_at, created_by, updated_by, apply_method)
	OVERRIDING SYSTEM VALUE
	VALUES ($26, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $24, $25, $25, $27)
	RETURNING id
)
INSERT INTO vacancy_locations (vacancy_id, position, name, postcode, lat, lon)
SELECT v.id, l.ord - 1, l.name, l.postcode, l.lat, l.lon
FROM v, unnest($20::text[], $21::text[], $22::float8[], $23::float8[]) WITH ORDINALITY AS l (name, postcode, lat, lon, ord)`

const updateManual = `
WITH v AS (
	UPDATE vacancies SET external_ref = $2, title = $3, description = $4, staff_group = $5, band = $6,
		pay_min = $7, pay_max = $8, pay_period = $9, pay_text = $10, contract = $11, patterns = $12,
		hours_per_week = $13, posted_on = $14, closing_on = $15, status = $16, apply_url = $17,
		passport_accepted = $18, content_hash = $19, publish_at = $24, updated_by = $25, updated_at = now(),
		closed_at = NULL, apply_method = $27
	WHERE id = $26 AND partner_id = $1
	RETURNING id
), trimmed AS (
	DELETE FROM vacancy_locations d USING v WHERE d.vacancy_id = v.id AND d.position >= cardinality($20::text[])
)
INSERT INTO vacancy_locations (vacancy_id, position, name, postcode, lat, lon)
SELECT v.id, l.ord - 1, l.name, l.postcode, l.lat, l.lon
FROM v, unnest($20::text[], $21::text[], $22::float8[], $23::float8[]) WITH ORDINALITY AS l (name, postcode, lat, lon, ord)
ON CONFLICT (vacancy_id, position) DO UPDATE
	SET name = excluded.name, postcode = excluded.postcode, lat = excluded.lat, lon = excluded.lon`

// referenceTaken turns the partner-and-reference unique violation into a
// field error; other errors pass through.
func referenceTaken(err error, ref string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && strings.Contains(pgErr.ConstraintName, "external_ref") {
		return ValidationError{"external_ref": fmt.Sprintf("You already have a job with the reference %s", strings.TrimSpace(ref))}
	}
	return err
}

// syncIfShown enqueues the vacancy's search sync when it was or now is
// live: only then can what search shows change.
func (s *Store) syncIfShown(ctx context.Context, tx pgx.Tx, id int64, was, now string) error {
	if was != Live && now != Live {
		return nil
	}
	return s.outbox.VacanciesChanged(ctx, tx, id)
}

// nullID is NULL for id 0: no user.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// nullTime is NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// TakeApplicationsHere makes every vacancy of a partner take applications
// on the portal instead of linking out, and re-syncs them to search. The
// demo data uses it; feeds always write roles that link out.
func (s *Store) TakeApplicationsHere(ctx context.Context, partnerID int64) (err error) {
	defer wrap(&err, "take applications on the portal for partner %d", partnerID)
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE vacancies SET apply_method = 'portal', apply_url = '', updated_at = now()
			WHERE partner_id = $1 AND apply_method <> 'portal' RETURNING id`, partnerID)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		return s.outbox.VacanciesChanged(ctx, tx, ids...)
	})
}
