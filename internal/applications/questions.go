package applications

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Questions returns the screening questions partnerID asks every
// applicant, in order.
func (s *Store) Questions(ctx context.Context, partnerID int64) (qs []Question, err error) {
	defer wrap(&err, "screening questions of partner %d", partnerID)
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(ctx) //nolint:errcheck // read-only
	return questions(ctx, tx, partnerID)
}

func questions(ctx context.Context, tx pgx.Tx, partnerID int64) ([]Question, error) {
	rows, err := tx.Query(ctx, `SELECT id, question FROM screening_questions WHERE partner_id = $1 ORDER BY position, id`, partnerID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (q Question, err error) {
		err = row.Scan(&q.ID, &q.Text)
		return q, err
	})
}

// SetQuestions replaces partnerID's screening questions with list: blank
// entries are dropped, each must be 5 to 300 characters, at most
// MaxQuestions (a ValidationError on "questions" otherwise). Applications
// already made keep the questions they answered.
func (s *Store) SetQuestions(ctx context.Context, partnerID int64, list []string) (err error) {
	defer wrap(&err, "set screening questions of partner %d", partnerID)
	var kept []string
	for _, q := range list {
		if q = strings.Join(strings.Fields(q), " "); q != "" {
			kept = append(kept, q)
		}
	}
	if len(kept) > MaxQuestions {
		return ValidationError{"questions": fmt.Sprintf("Ask no more than %d questions", MaxQuestions)}
	}
	for i, q := range kept {
		if n := utf8.RuneCountInString(q); n < 5 || n > 300 {
			return ValidationError{"questions": fmt.Sprintf("Question %d must be 5 to 300 characters long (it has %d)", i+1, n)}
		}
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('screening_questions', $1))`, partnerID); err != nil {
			return err
		}
		current, err := questions(ctx, tx, partnerID)
		if err != nil {
			return err
		}
		// A question kept word for word keeps its id, so a form someone is
		// filling in meanwhile still matches it.
		unused := map[string][]int64{}
		for _, q := range current {
			unused[q.Text] = append(unused[q.Text], q.ID)
		}
		keep := []int64{} // never nil: <> ALL(NULL) would delete nothing
		for i, q := range kept {
			if ids := unused[q]; len(ids) > 0 {
				unused[q] = ids[1:]
				keep = append(keep, ids[0])
				_, err = tx.Exec(ctx, `UPDATE screening_questions SET position = $2 WHERE id = $1`, ids[0], i)
			} else {
				var id int64
				err = tx.QueryRow(ctx, `INSERT INTO screening_questions (partner_id, position, question) VALUES ($1, $2, $3)
					RETURNING id`, partnerID, i, q).Scan(&id)
				keep = append(keep, id)
			}
			if err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `DELETE FROM screening_questions WHERE partner_id = $1 AND id <> ALL($2)`, partnerID, keep)
		return err
	})
}
