package pages

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// Revision is one saved version of a page's content. The address and
// status are not part of it: restoring brings back what the page says.
type Revision struct {
	Number               int
	Title, Summary, Body string
	Places, StaffGroups  []string
	Tags                 []string
	HeroImage, HeroAlt   string
	Note                 string // "imported", "published", "restored revision 3"...
	AuthorName           string // "" for imports and removed users
	CreatedAt            time.Time
}

// revisionFields is the fields column of page_revisions.
type revisionFields struct {
	Places      []string `json:"places"`
	StaffGroups []string `json:"staff_groups"`
	Tags        []string `json:"tags"`
	HeroImage   string   `json:"hero_image"`
	HeroAlt     string   `json:"hero_alt"`
}

// addRevision records p's content as its next revision, inside tx, which
// holds the page's row lock (or created it), so numbers never collide.
func addRevision(ctx context.Context, tx pgx.Tx, p Page, note string, userID int64, now time.Time) error {
	fields := revisionFields{p.Places, p.StaffGroups, p.Tags, p.HeroImage, p.HeroAlt}
	_, err := tx.Exec(ctx, `INSERT INTO page_revisions (page_id, number, title, summary, body, fields, note, author_id, created_at)
		SELECT $1, coalesce(max(number), 0) + 1, $2, $3, $4, $5, $6, $7, $8 FROM page_revisions WHERE page_id = $1`,
		p.ID, p.Title, p.Summary, p.Body, fields, note, nullID(userID), now)
	if err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	return nil
}

const selectRevision = `
	SELECT r.number, r.title, r.summary, r.body, r.fields, r.note, coalesce(u.name, ''), r.created_at
	FROM page_revisions r LEFT JOIN users u ON u.id = r.author_id`

func scanRevision(row pgx.Row) (r Revision, err error) {
	var f revisionFields
	err = row.Scan(&r.Number, &r.Title, &r.Summary, &r.Body, &f, &r.Note, &r.AuthorName, &r.CreatedAt)
	r.Places, r.StaffGroups, r.Tags, r.HeroImage, r.HeroAlt = f.Places, f.StaffGroups, f.Tags, f.HeroImage, f.HeroAlt
	return r, err
}

// Revisions returns page pageID's revisions, newest first; ErrNotFound
// when there is no such page.
func (s *Store) Revisions(ctx context.Context, pageID int64) (list []Revision, err error) {
	defer wrap(&err, "revisions of page %d", pageID)
	rows, err := s.pool.Query(ctx, selectRevision+` WHERE r.page_id = $1 ORDER BY r.number DESC`, pageID)
	if err != nil {
		return nil, err
	}
	list, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (Revision, error) { return scanRevision(row) })
	if err != nil || len(list) > 0 {
		return list, err
	}
	var exists bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pages WHERE id = $1)`, pageID).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		return nil, ErrNotFound
	}
	return list, nil
}

// Revision returns revision number of page pageID, or ErrNotFound.
func (s *Store) Revision(ctx context.Context, pageID int64, number int) (r Revision, err error) {
	defer wrap(&err, "revision %d of page %d", number, pageID)
	return getRevision(ctx, s.pool, pageID, number)
}

func getRevision(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, pageID int64, number int) (Revision, error) {
	r, err := scanRevision(q.QueryRow(ctx, selectRevision+` WHERE r.page_id = $1 AND r.number = $2`, pageID, number))
	if errors.Is(err, pgx.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// Restore makes revision number of page pageID the page's content again,
// as a new revision "restored revision N" by userID; the page keeps its
// address and status. A published page's search entry is synced.
func (s *Store) Restore(ctx context.Context, userID, pageID int64, number int) (err error) {
	defer wrap(&err, "restore revision %d of page %d", number, pageID)
	now := s.now()
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := scanPage(tx.QueryRow(ctx, selectPage+` WHERE p.id = $1 FOR UPDATE OF p`, pageID))
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		r, err := getRevision(ctx, tx, pageID, number)
		if err != nil {
			return err
		}
		p := cur
		p.Title, p.Summary, p.Body, p.HeroImage, p.HeroAlt = r.Title, r.Summary, r.Body, r.HeroImage, r.HeroAlt
		p.Places, p.StaffGroups, p.Tags = r.Places, r.StaffGroups, r.Tags
		p = p.normalised()
		// The rules may have moved on since (a staff group retired), and
		// the table's checks must hold whatever the revision says.
		if errs := p.Validate(); len(errs) > 0 {
			return ValidationError(errs)
		}
		_, err = tx.Exec(ctx, `UPDATE pages SET title = $2, summary = $3, body = $4, places = $5, staff_groups = $6,
			tags = $7, hero_image = $8, hero_alt = $9, edited_at = $10, updated_at = $10, updated_by = $11 WHERE id = $1`,
			pageID, p.Title, p.Summary, p.Body, p.Places, p.StaffGroups, p.Tags, p.HeroImage, p.HeroAlt, now, nullID(userID))
		if err != nil {
			return err
		}
		if err := addRevision(ctx, tx, p, fmt.Sprintf("restored revision %d", number), userID, now); err != nil {
			return err
		}
		if p.Status == Published {
			return s.outbox.PagesChanged(ctx, tx, pageID)
		}
		return nil
	})
}

// DiffLine is one line of a diff between two versions of a text.
type DiffLine struct {
	Op   string // DiffSame, DiffAdd or DiffRemove
	Text string // the line, without its line break
}

// Diff line operations.
const (
	DiffSame   = "same"
	DiffAdd    = "add"
	DiffRemove = "remove"
)

// Diff compares older and newer line by line, for an editor comparing
// revisions. Line endings are normalised, and a missing final line break
// is not a change.
func Diff(older, newer string) []DiffLine {
	older, newer = diffable(older), diffable(newer)
	dmp := diffmatchpatch.New()
	a, b, lines := dmp.DiffLinesToChars(older, newer)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), lines)
	var out []DiffLine
	for _, d := range diffs {
		op := DiffSame
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = DiffAdd
		case diffmatchpatch.DiffDelete:
			op = DiffRemove
		}
		for _, line := range strings.SplitAfter(d.Text, "\n") {
			if line != "" {
				out = append(out, DiffLine{Op: op, Text: strings.TrimSuffix(line, "\n")})
			}
		}
	}
	return out
}

func diffable(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s
}
