package pages

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// File is one page shipped in content/pages, as the content package loads
// it.
type File struct {
	Name string // the file's name, for messages
	Page Page
	Hash string // sha256 of the file's bytes, hex
}

// ImportSummary says what Import did.
type ImportSummary struct {
	Created, Updated, Unchanged int
	KeptEdited                  []string // slugs of pages whose file changed but an editor saved them since: left as they are
}

// Import brings the shipped pages into the database, matching by kind and
// slug, in one transaction. A missing page is created published (revision
// "imported"); a page whose file changed is updated only if no editor has
// saved it since it was imported, otherwise it is kept and reported; an
// unchanged file writes nothing, so running it on every start is cheap.
// Pages no longer shipped are left alone: an editor may still want them.
func (s *Store) Import(ctx context.Context, files []File) (sum ImportSummary, err error) {
	defer wrap(&err, "import %d shipped pages", len(files))
	now := s.now()
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Every web node imports on start: one at a time, or two would
		// both find a page missing and one fail to insert it.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('pages.Import'))`); err != nil {
			return err
		}
		sum = ImportSummary{}
		var changed []int64
		for _, f := range files {
			id, outcome, err := importFile(ctx, tx, f, now)
			if err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
			switch outcome {
			case imported:
				sum.Created++
				changed = append(changed, id)
			case reimported:
				sum.Updated++
				changed = append(changed, id)
			case unchanged:
				sum.Unchanged++
			case keptEdited:
				sum.KeptEdited = append(sum.KeptEdited, f.Page.Slug)
			}
		}
		return s.outbox.PagesChanged(ctx, tx, changed...)
	})
	if err != nil {
		return ImportSummary{}, err
	}
	return sum, nil
}

type importOutcome int

const (
	imported importOutcome = iota
	reimported
	unchanged
	keptEdited
)

func importFile(ctx context.Context, tx pgx.Tx, f File, now time.Time) (int64, importOutcome, error) {
	p := f.Page.normalised()
	if f.Hash == "" {
		return 0, 0, errors.New("no content hash")
	}
	if errs := p.Validate(); len(errs) > 0 {
		return 0, 0, ValidationError(errs)
	}
	var hash string
	var edited bool
	err := tx.QueryRow(ctx, `SELECT id, shipped_hash, edited_at IS NOT NULL FROM pages WHERE kind = $1 AND slug = $2
		FOR UPDATE`, p.Kind, p.Slug).Scan(&p.ID, &hash, &edited)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		published := p.PublishedAt
		if published.IsZero() {
			published = now
		}
		err = tx.QueryRow(ctx, `INSERT INTO pages (kind, slug, title, summary, body, places, staff_groups, tags,
				hero_image, hero_alt, status, published_at, shipped_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'published', $11, $12, $13, $13) RETURNING id`,
			p.Kind, p.Slug, p.Title, p.Summary, p.Body, p.Places, p.StaffGroups, p.Tags, p.HeroImage, p.HeroAlt,
			published, f.Hash, now).Scan(&p.ID)
		if err != nil {
			return 0, 0, err
		}
		return p.ID, imported, addRevision(ctx, tx, p, "imported", 0, now)
	case err != nil:
		return 0, 0, err
	case hash == f.Hash:
		return p.ID, unchanged, nil
	case edited:
		return p.ID, keptEdited, nil
	}
	// Untouched since the last import: the file is still the page's truth,
	// status included (only an editor could have changed it).
	_, err = tx.Exec(ctx, `UPDATE pages SET title = $2, summary = $3, body = $4, places = $5, staff_groups = $6,
		tags = $7, hero_image = $8, hero_alt = $9, status = 'published', publish_at = NULL,
		published_at = coalesce($10, published_at, $12), shipped_hash = $11, updated_at = $12 WHERE id = $1`,
		p.ID, p.Title, p.Summary, p.Body, p.Places, p.StaffGroups, p.Tags, p.HeroImage, p.HeroAlt,
		nullTime(p.PublishedAt), f.Hash, now)
	if err != nil {
		return 0, 0, err
	}
	return p.ID, reimported, addRevision(ctx, tx, p, "imported: the shipped file changed", 0, now)
}
