package applications

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// AnonymiseExpired deletes the personal data of every application whose
// vacancy closed more than after before now (DefaultRetained when after is
// 0): name, e-mail address, the profile and passport copies, the statement,
// the answers, the notes in its history and the link to the account. The
// status, dates and history stay, so a partner's figures still add up. A
// vacancy closed early counts from when it was closed; one never closed
// from the day after its closing date. It returns how many it anonymised.
func (s *Store) AnonymiseExpired(ctx context.Context, now time.Time, after time.Duration) (n int, err error) {
	defer wrap(&err, "anonymise expired applications")
	if after <= 0 {
		after = DefaultRetained
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			UPDATE applications a SET name = '', email = '', profile = '{}', statement = '', answers = '[]',
				passport = NULL, user_id = NULL, anonymised_at = $1
			FROM vacancies v
			WHERE v.id = a.vacancy_id AND a.anonymised_at IS NULL AND v.status <> 'live'
				AND coalesce(v.closed_at, (v.closing_on + 1)::timestamp AT TIME ZONE 'UTC') < $2
			RETURNING a.id`, now, now.Add(-after))
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		n = len(ids)
		_, err = tx.Exec(ctx, `UPDATE application_events SET note = '' WHERE application_id = ANY($1) AND note <> ''`, ids)
		return err
	})
	return n, err
}
