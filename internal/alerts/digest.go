package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/regionalcareers/portal/internal/mail"
	"github.com/regionalcareers/portal/internal/vacancies"
	"github.com/regionalcareers/portal/search"
)

// How long after its last e-mail an alert is due again. A little under a
// day and a week, so a run a few minutes early does not slip a whole day.
const (
	dailyGap  = 23 * time.Hour
	weeklyGap = 7*24*time.Hour - time.Hour
)

// A digest lists at most maxRoles roles, looking through at most
// maxPages pages of newest-first results for roles not yet sent.
const (
	maxRoles = 20
	maxPages = 3
)

// Due lists the alerts that may send now: confirmed, not ended, and
// instant, never sent, or past their gap since the last e-mail. An alert
// with nothing new stays due, so a daily alert mails as soon as something
// comes after its day is up.
func (s *Store) Due(ctx context.Context, now time.Time) (ids []int64, err error) {
	defer wrap(&err, "list due job alerts")
	rows, err := s.pool.Query(ctx, `SELECT id FROM alerts
		WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL AND (
			frequency = 'instant' OR last_sent_at IS NULL
			OR (frequency = 'daily' AND last_sent_at <= $1) OR (frequency = 'weekly' AND last_sent_at <= $2))
		ORDER BY id`, now.Add(-dailyGap), now.Add(-weeklyGap))
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// alreadySent returns those of ids the address has been sent, under any
// of its alerts.
func (s *Store) alreadySent(ctx context.Context, email string, ids []int64) (map[int64]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT vacancy_id FROM alert_sent WHERE email = $1 AND vacancy_id = ANY($2)`, email, ids)
	if err != nil {
		return nil, err
	}
	sent, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	seen := map[int64]bool{}
	for _, id := range sent {
		seen[id] = true
	}
	return seen, err
}

// claim records, in one transaction, that the alert's address is sent ids
// and when, and returns the ids it recorded: those another run recorded
// first are left out. The alert is locked and checked again, so one that
// was ended meanwhile claims nothing.
func (s *Store) claim(ctx context.Context, a Alert, ids []int64, at time.Time) (claimed []int64, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var active bool
		err := tx.QueryRow(ctx, `SELECT confirmed_at IS NOT NULL AND unsubscribed_at IS NULL FROM alerts WHERE id = $1 FOR UPDATE`,
			a.ID).Scan(&active)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !active) {
			return nil
		}
		if err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `INSERT INTO alert_sent (email, vacancy_id, alert_id, sent_at)
			SELECT $1, v, $2, $3 FROM unnest($4::bigint[]) AS v
			ON CONFLICT (email, vacancy_id) DO NOTHING RETURNING vacancy_id`, a.Email, a.ID, at, ids)
		if err != nil {
			return err
		}
		if claimed, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil || len(claimed) == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE alerts SET last_sent_at = $2 WHERE id = $1`, a.ID, at)
		return err
	})
	return claimed, err
}

// release undoes a claim whose e-mail did not go, so a retry sends the
// same roles: the rows it inserted go, and last_sent_at goes back unless
// another run has moved it since.
func (s *Store) release(ctx context.Context, a Alert, ids []int64, at time.Time) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM alert_sent WHERE email = $1 AND alert_id = $2 AND sent_at = $3 AND vacancy_id = ANY($4)`,
			a.Email, a.ID, at, ids); err != nil {
			return err
		}
		var previous *time.Time
		if !a.LastSentAt.IsZero() {
			previous = &a.LastSentAt
		}
		_, err := tx.Exec(ctx, `UPDATE alerts SET last_sent_at = $3 WHERE id = $1 AND last_sent_at = $2`, a.ID, at, previous)
		return err
	})
}

// Digests runs saved searches and e-mails what is new.
type Digests struct {
	store     *Store
	search    *search.Client
	vacancies *vacancies.Store
	mail      *mail.Sender
	baseURL   string
	logger    *slog.Logger
}

// NewDigests returns Digests that search with client, check each hit
// against vs, send through sender and write links under baseURL.
func NewDigests(store *Store, client *search.Client, vs *vacancies.Store, sender *mail.Sender, baseURL string, logger *slog.Logger) *Digests {
	return &Digests{store: store, search: client, vacancies: vs, mail: sender, baseURL: strings.TrimRight(baseURL, "/"), logger: logger}
}

// Due lists the alerts that may send now.
func (d *Digests) Due(ctx context.Context) ([]int64, error) { return d.store.Due(ctx, d.store.now()) }

// Send e-mails the alert's address the live roles matching its search that
// the address has not been sent under any alert, newest first, and
// returns how many it listed. An unconfirmed or ended alert sends nothing.
//
// The roles are recorded as sent and committed before the e-mail goes; if
// sending fails the record is undone and the error returned, so the job
// retries. A crash between the commit and the send loses that e-mail: a
// role may be missed, but is never sent twice.
func (d *Digests) Send(ctx context.Context, alertID int64) (sent int, err error) {
	defer wrap(&err, "send job alert %d", alertID)
	a, err := d.store.Get(ctx, alertID)
	if errors.Is(err, ErrNotFound) || (err == nil && (!a.Confirmed() || a.Unsubscribed())) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	values, err := url.ParseQuery(a.Query)
	if err != nil {
		return 0, err
	}
	q, err := search.ParseVacancyQuery(values, d.store.gaz)
	if err != nil {
		// Saved searches parsed when saved; one that no longer does (a
		// filter value withdrawn) cannot be run, and retrying will not help.
		d.logger.Warn("job alert's search no longer parses", "alert", a.ID, "err", err)
		return 0, nil
	}
	roles, err := d.newRoles(ctx, a, q)
	if err != nil || len(roles) == 0 {
		return 0, err
	}
	at := d.store.now().Truncate(time.Microsecond) // as PostgreSQL keeps it, so release finds the rows
	claimed, err := d.store.claim(ctx, a, ids(roles), at)
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	roles = slices.DeleteFunc(roles, func(v vacancies.Vacancy) bool { return !slices.Contains(claimed, v.ID) })
	if err := d.mailDigest(ctx, a, roles); err != nil {
		if rerr := d.store.release(ctx, a, claimed, at); rerr != nil {
			return 0, errors.Join(err, fmt.Errorf("undo the record of sent roles: %w", rerr))
		}
		return 0, err
	}
	return len(roles), nil
}

// newRoles runs the search newest first and keeps, in that order, the
// roles PostgreSQL says are still live and open (a role closed since it
// was indexed never goes out) and the address has not been sent.
func (d *Digests) newRoles(ctx context.Context, a Alert, q search.VacancyQuery) ([]vacancies.Vacancy, error) {
	q.Sort = search.SortNewest
	var fresh []vacancies.Vacancy
	for page := 1; page <= maxPages && len(fresh) < maxRoles; page++ {
		res, err := d.search.Vacancies(ctx, q.WithPage(page))
		if err != nil {
			return nil, err
		}
		if len(res.Hits) == 0 {
			break
		}
		hitIDs := make([]int64, len(res.Hits))
		for i, h := range res.Hits {
			hitIDs[i] = h.ID
		}
		current, err := d.vacancies.GetMany(ctx, hitIDs)
		if err != nil {
			return nil, err
		}
		sent, err := d.store.alreadySent(ctx, a.Email, hitIDs)
		if err != nil {
			return nil, err
		}
		today := d.store.now()
		for _, id := range hitIDs {
			i := slices.IndexFunc(current, func(v vacancies.Vacancy) bool { return v.ID == id })
			if i < 0 || sent[id] || !vacancies.Searchable(current[i]) || !current[i].Open(today) {
				continue
			}
			if fresh = append(fresh, current[i]); len(fresh) == maxRoles {
				break
			}
		}
		if page >= res.Pages {
			break
		}
	}
	return fresh, nil
}

func ids(list []vacancies.Vacancy) []int64 {
	out := make([]int64, len(list))
	for i, v := range list {
		out[i] = v.ID
	}
	return out
}

// digestRole is one role as the e-mail lists it.
type digestRole struct {
	Title, Employer, Place, Pay, Closing, Link string
}

// mailDigest sends the e-mail, with the headers that let mail clients
// offer one-click unsubscribe (RFC 8058).
func (d *Digests) mailDigest(ctx context.Context, a Alert, roles []vacancies.Vacancy) error {
	list := make([]digestRole, len(roles))
	for i, v := range roles {
		places := make([]string, len(v.Locations))
		for j, l := range v.Locations {
			places[j] = l.Name
		}
		list[i] = digestRole{Title: v.Title, Employer: v.Partner.Name, Place: strings.Join(places, ", "),
			Pay: v.Pay.String(), Closing: v.ClosingOn.Format("2 January 2006"), Link: d.baseURL + v.Path()}
	}
	unsubscribe := d.baseURL + "/alerts/unsubscribe?token=" + a.Token
	searchLink := d.baseURL + "/jobs"
	if a.Query != "" {
		searchLink += "?" + a.Query
	}
	subject, text, err := mail.Render("alert-digest", map[string]any{
		"Count": len(list), "Description": a.Description, "Roles": list, "Frequency": FrequencyLabel(a.Frequency),
		"SearchLink": searchLink, "ManageLink": d.baseURL + "/alerts/manage?token=" + a.Token,
		"UnsubscribeLink": unsubscribe,
	})
	if err != nil {
		return err
	}
	return d.mail.Send(ctx, mail.Message{To: a.Email, Subject: subject, Text: text, Headers: map[string]string{
		"List-Unsubscribe":      "<" + unsubscribe + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	}})
}
