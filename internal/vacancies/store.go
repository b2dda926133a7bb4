package vacancies

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/regionalcareers/portal/internal/outbox"
)

// ErrNotFound is returned when no vacancy matches, and by the console's
// operations when the vacancy belongs to another partner.
var ErrNotFound = errors.New("vacancy not found")

// ErrFromFeed is returned when a recruiter tries to change a vacancy that a
// feed lists: the feed would overwrite the change on its next run.
var ErrFromFeed = errors.New("this job comes from your organisation's recruitment system: change it there")

// ValidationError carries field errors from Validate.
type ValidationError map[string]string

func (e ValidationError) Error() string {
	parts := make([]string, 0, len(e))
	for _, f := range sortedKeys(e) {
		parts = append(parts, f+": "+e[f])
	}
	return "invalid vacancy: " + strings.Join(parts, "; ")
}

// Store reads and writes vacancies.
type Store struct {
	pool   *pgxpool.Pool
	outbox *outbox.Outbox
}

// NewStore returns a Store on pool whose writes enqueue search sync jobs
// through ob.
func NewStore(pool *pgxpool.Pool, ob *outbox.Outbox) *Store { return &Store{pool: pool, outbox: ob} }

// SaveResult says what Save did.
type SaveResult struct {
	ID      int64
	Created bool
	Changed bool // false when the stored vacancy already matched: nothing was written
}

// Save validates v and creates it, or updates the vacancy with the same
// partner and external reference, then enqueues a search sync in the same
// transaction when anything changed.
func (s *Store) Save(ctx context.Context, v Vacancy) (SaveResult, error) {
	results, err := s.SaveMany(ctx, []Vacancy{v})
	if err != nil {
		return SaveResult{}, err
	}
	return results[0], nil
}

// SaveMany saves every vacancy in one transaction: all or none.
func (s *Store) SaveMany(ctx context.Context, list []Vacancy) (results []SaveResult, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		results, err = s.SaveTx(ctx, tx, list)
		return err
	})
	return results, err
}

// SaveTx validates and saves list inside tx, a vacancy per statement in one
// round trip, and enqueues search sync jobs in tx for those that changed.
func (s *Store) SaveTx(ctx context.Context, tx pgx.Tx, list []Vacancy) (results []SaveResult, err error) {
	defer wrap(&err, "save %d vacancies", len(list))
	for i, v := range list {
		errs := v.Validate()
		if v.Status == Scheduled {
			errs["status"] = "Only jobs written in the recruiter console can be scheduled"
		}
		if len(errs) > 0 {
			return nil, fmt.Errorf("vacancy %d (%s): %w", i, v.ExternalRef, ValidationError(errs))
		}
	}
	batch := &pgx.Batch{}
	for _, v := range list {
		batch.Queue(upsertVacancy, upsertArgs(v)...)
	}
	br := tx.SendBatch(ctx, batch)
	results = make([]SaveResult, len(list))
	var changed []int64
	for i := range list {
		r := &results[i]
		if err := br.QueryRow().Scan(&r.ID, &r.Created, &r.Changed); err != nil {
			br.Close()
			return nil, fmt.Errorf("vacancy %s: %w", list[i].ExternalRef, err)
		}
		if r.Changed {
			changed = append(changed, r.ID)
		}
	}
	if err := br.Close(); err != nil {
		return nil, err
	}
	return results, s.outbox.VacanciesChanged(ctx, tx, changed...)
}

// upsertVacancy inserts a vacancy or updates the one with the same partner
// and reference, with its locations, in one statement; it writes nothing
// when the content hash and status already match. It returns the id and
// whether the row was created or changed.
const upsertVacancy = `
WITH up AS (
	INSERT INTO vacancies AS cur (partner_id, external_ref, title, description, staff_group, band, pay_min, pay_max,
		pay_period, pay_text, contract, patterns, hours_per_week, posted_on, closing_on, status, apply_url,
		passport_accepted, content_hash, closed_at, apply_method)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::text, $17, $18, $19,
		CASE WHEN $16::text = 'closed' THEN now() END, 'external')
	ON CONFLICT (partner_id, external_ref) DO UPDATE SET
		title = excluded.title, description = excluded.description, staff_group = excluded.staff_group,
		band = excluded.band, pay_min = excluded.pay_min, pay_max = excluded.pay_max,
		pay_period = excluded.pay_period, pay_text = excluded.pay_text, contract = excluded.contract,
		patterns = excluded.patterns, hours_per_week = excluded.hours_per_week, posted_on = excluded.posted_on,
		closing_on = excluded.closing_on, status = excluded.status, apply_url = excluded.apply_url,
		passport_accepted = excluded.passport_accepted, content_hash = excluded.content_hash, updated_at = now(),
		closed_at = CASE WHEN excluded.status = 'closed' THEN coalesce(cur.closed_at, now()) END, publish_at = NULL,
		apply_method = 'external' -- a feed's roles are applied for on the employer's site
	WHERE (cur.content_hash, cur.status) IS DISTINCT FROM (excluded.content_hash, excluded.status)
	RETURNING id, (xmax = 0) AS created
), locations AS (
	INSERT INTO vacancy_locations (vacancy_id, position, name, postcode, lat, lon)
	SELECT up.id, l.ord - 1, l.name, l.postcode, l.lat, l.lon
	FROM up, unnest($20::text[], $21::text[], $22::float8[], $23::float8[]) WITH ORDINALITY AS l (name, postcode, lat, lon, ord)
	ON CONFLICT (vacancy_id, position) DO UPDATE
		SET name = excluded.name, postcode = excluded.postcode, lat = excluded.lat, lon = excluded.lon
), trimmed AS (
	DELETE FROM vacancy_locations d USING up WHERE d.vacancy_id = up.id AND d.position >= cardinality($20::text[])
)
SELECT id, created, true FROM up
UNION ALL
SELECT id, false, false FROM vacancies WHERE partner_id = $1 AND external_ref = $2 AND NOT EXISTS (SELECT 1 FROM up)`

func upsertArgs(v Vacancy) []any {
	var payMin, payMax, period, band any
	if v.Pay.Min > 0 {
		payMin, period = v.Pay.Min, v.Pay.Period
	}
	if v.Pay.Max > 0 {
		payMax = v.Pay.Max
	}
	if v.Pay.Band != "" {
		band = v.Pay.Band
	}
	n := len(v.Locations)
	names, postcodes, lats, lons := make([]string, n), make([]string, n), make([]float64, n), make([]float64, n)
	for i, l := range v.Locations {
		names[i], postcodes[i], lats[i], lons[i] = strings.TrimSpace(l.Name), l.Postcode, l.Lat, l.Lon
	}
	return []any{
		v.PartnerID, strings.TrimSpace(v.ExternalRef), strings.TrimSpace(v.Title), v.Description, v.StaffGroup, band,
		payMin, payMax, period, v.Pay.Text, v.Contract, v.Patterns, v.HoursPerWeek, v.PostedOn, v.ClosingOn,
		v.Status, v.ApplyURL, v.PassportAccepted, v.ContentHash(), names, postcodes, lats, lons,
	}
}

// ContentHash identifies everything a vacancy shows, so an unchanged
// re-import can be told from a change.
func (v Vacancy) ContentHash() string {
	shown := struct {
		Title, Description, StaffGroup, Contract, ApplyURL string
		Pay                                                Pay
		Patterns                                           []string
		Hours                                              float64
		Locations                                          []Location
		Posted, Closing                                    string
		Passport                                           bool
	}{strings.TrimSpace(v.Title), v.Description, v.StaffGroup, v.Contract, v.ApplyURL, v.Pay, v.Patterns,
		v.HoursPerWeek, v.Locations, v.PostedOn.Format(time.DateOnly), v.ClosingOn.Format(time.DateOnly), v.PassportAccepted}
	raw, _ := json.Marshal(shown)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:16])
}

// selectVacancy reads a vacancy with its partner and locations in one row.
const selectVacancy = `
	SELECT v.id, v.partner_id, p.slug, p.name, p.type, p.active, v.external_ref, v.title, v.description,
	       v.staff_group, coalesce(v.band, ''), coalesce(v.pay_min, 0)::float8, coalesce(v.pay_max, 0)::float8,
	       coalesce(v.pay_period, ''), v.pay_text, v.contract, v.patterns, v.hours_per_week::float8,
	       v.posted_on, v.closing_on, v.status, v.publish_at, v.apply_url, v.apply_method, v.passport_accepted,
	       coalesce(v.created_by, 0), coalesce(v.updated_by, 0), ` + fromFeed + ` AS from_feed, v.updated_at,
	       coalesce((SELECT json_agg(json_build_object('name', l.name, 'postcode', l.postcode, 'lat', l.lat, 'lon', l.lon)
	                        ORDER BY l.position)
	                 FROM vacancy_locations l WHERE l.vacancy_id = v.id), '[]')
	FROM vacancies v JOIN partners p ON p.id = v.partner_id`

// fromFeed is true when any feed lists the vacancy v.
const fromFeed = `EXISTS (SELECT 1 FROM vacancy_sources s WHERE s.vacancy_id = v.id)`

func scanVacancy(row pgx.Row) (v Vacancy, err error) {
	var publishAt *time.Time
	err = row.Scan(&v.ID, &v.PartnerID, &v.Partner.Slug, &v.Partner.Name, &v.Partner.Type, &v.Partner.Active,
		&v.ExternalRef, &v.Title, &v.Description, &v.StaffGroup, &v.Pay.Band, &v.Pay.Min, &v.Pay.Max,
		&v.Pay.Period, &v.Pay.Text, &v.Contract, &v.Patterns, &v.HoursPerWeek, &v.PostedOn, &v.ClosingOn,
		&v.Status, &publishAt, &v.ApplyURL, &v.ApplyMethod, &v.PassportAccepted, &v.CreatedBy, &v.UpdatedBy, &v.FromFeed,
		&v.UpdatedAt, &v.Locations)
	v.Partner.ID = v.PartnerID
	if publishAt != nil {
		v.PublishAt = *publishAt
	}
	return v, err
}

// Get returns the vacancy with id, in any status, or ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (v Vacancy, err error) {
	defer wrap(&err, "get vacancy %d", id)
	v, err = scanVacancy(s.pool.QueryRow(ctx, selectVacancy+` WHERE v.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, ErrNotFound
	}
	return v, err
}

// GetMany returns the vacancies among ids that exist, in any status.
func (s *Store) GetMany(ctx context.Context, ids []int64) (list []Vacancy, err error) {
	defer wrap(&err, "get %d vacancies", len(ids))
	return s.query(ctx, selectVacancy+` WHERE v.id = ANY($1) ORDER BY v.id`, ids)
}

// Searchable reports whether a vacancy belongs in public search.
func Searchable(v Vacancy) bool { return v.Status == Live && v.Partner.Active }

// EachSearchable calls fn with every vacancy that belongs in public search,
// in batches of size, in id order, reading with keyset pagination so memory
// stays flat whatever the table's size.
func (s *Store) EachSearchable(ctx context.Context, size int, fn func([]Vacancy) error) (err error) {
	defer wrap(&err, "list searchable vacancies")
	var after int64
	for {
		batch, err := s.query(ctx, selectVacancy+`
			WHERE v.id > $1 AND v.status = 'live' AND p.active ORDER BY v.id LIMIT $2`, after, size)
		if err != nil || len(batch) == 0 {
			return err
		}
		if err := fn(batch); err != nil {
			return err
		}
		after = batch[len(batch)-1].ID
	}
}

func (s *Store) query(ctx context.Context, sql string, args ...any) ([]Vacancy, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []Vacancy
	for rows.Next() {
		v, err := scanVacancy(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	return list, rows.Err()
}

// CloseExpired closes every live vacancy whose closing date is before
// today and enqueues their removal from search in the same transaction.
func (s *Store) CloseExpired(ctx context.Context, today time.Time) (closed []int64, err error) {
	defer wrap(&err, "close expired vacancies")
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE vacancies SET status = 'closed', closed_at = now(), updated_at = now()
			WHERE status = 'live' AND closing_on < $1 RETURNING id`, Date(today))
		if err != nil {
			return err
		}
		if closed, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return err
		}
		return s.outbox.VacanciesChanged(ctx, tx, closed...)
	})
	return closed, err
}

// CloseTx closes those of ids that are live, inside tx, and enqueues their
// removal from search. It returns the ids it closed.
func (s *Store) CloseTx(ctx context.Context, tx pgx.Tx, ids []int64) (closed []int64, err error) {
	defer wrap(&err, "close %d vacancies", len(ids))
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `UPDATE vacancies SET status = 'closed', closed_at = now(), updated_at = now()
		WHERE id = ANY($1) AND status = 'live' RETURNING id`, ids)
	if err != nil {
		return nil, err
	}
	if closed, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return nil, err
	}
	return closed, s.outbox.VacanciesChanged(ctx, tx, closed...)
}

// SetStatus moves a vacancy to status and enqueues its search sync.
func (s *Store) SetStatus(ctx context.Context, id int64, status string) (err error) {
	defer wrap(&err, "set vacancy %d to %s", id, status)
	if status != Draft && status != Live && status != Closed {
		return fmt.Errorf("unknown status %q", status)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE vacancies SET status = $2, updated_at = now(), publish_at = NULL,
			closed_at = CASE WHEN $2 = 'closed' THEN coalesce(closed_at, now()) END WHERE id = $1`, id, status)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return s.outbox.VacanciesChanged(ctx, tx, id)
	})
}

// Counts is how many vacancies are live, overall and per staff group.
type Counts struct {
	Live         int
	Partners     int
	ByStaffGroup map[string]int
}

// LiveCounts counts live vacancies of active partners straight from
// PostgreSQL (the truth the search facets are checked against).
func (s *Store) LiveCounts(ctx context.Context) (c Counts, err error) {
	defer wrap(&err, "count live vacancies")
	c.ByStaffGroup = map[string]int{}
	rows, err := s.pool.Query(ctx, `SELECT v.staff_group, count(*)
		FROM vacancies v JOIN partners p ON p.id = v.partner_id
		WHERE v.status = 'live' AND p.active GROUP BY v.staff_group`)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var group string
		var n int
		if err := rows.Scan(&group, &n); err != nil {
			return c, err
		}
		c.ByStaffGroup[group] = n
		c.Live += n
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	err = s.pool.QueryRow(ctx, `SELECT count(DISTINCT v.partner_id) FROM vacancies v JOIN partners p ON p.id = v.partner_id
		WHERE v.status = 'live' AND p.active`).Scan(&c.Partners)
	return c, err
}

// CountApplyClick counts one click through to the employer's application
// page for vacancy id, on the day of at (UTC).
func (s *Store) CountApplyClick(ctx context.Context, id int64, at time.Time) (err error) {
	defer wrap(&err, "count apply click on vacancy %d", id)
	_, err = s.pool.Exec(ctx, `INSERT INTO apply_clicks (vacancy_id, day, count) VALUES ($1, $2, 1)
		ON CONFLICT (vacancy_id, day) DO UPDATE SET count = apply_clicks.count + 1`, id, Date(at))
	return err
}

// wrap adds the operation to err, leaving the errors callers test for and
// show people as they are.
func wrap(err *error, format string, args ...any) {
	if *err != nil && !errors.Is(*err, ErrNotFound) && !errors.Is(*err, ErrFromFeed) {
		*err = fmt.Errorf(format+": %w", append(args, *err)...)
	}
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
