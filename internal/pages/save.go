package pages

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Action says what saving a page in the editor does to its status.
type Action struct {
	Kind string    // ActionDraft, ActionPublish, ActionSchedule or ActionUnpublish
	At   time.Time // when to publish, for ActionSchedule
}

// Action kinds.
const (
	ActionDraft     = "draft"     // save without publishing; a live page goes offline
	ActionPublish   = "publish"   // live now
	ActionSchedule  = "schedule"  // live at Action.At, through PublishDue
	ActionUnpublish = "unpublish" // take a page down, keeping it
)

// Save validates p and creates it (p.ID 0) or replaces the content of page
// p.ID, gives it the status a asks for and records a revision, all in one
// transaction written by editor userID (0 when no user). The search sync is
// enqueued in the same transaction when the page was or now is published.
// It returns a ValidationError, ErrSlugTaken or ErrNotFound.
func (s *Store) Save(ctx context.Context, userID int64, p Page, a Action) (id int64, err error) {
	defer wrap(&err, "save page %s%s", p.Kind.Prefix(), p.Slug)
	now := s.now()
	p = p.normalised()
	errs := ValidationError(p.Validate())
	note := applyAction(&p, a, now, errs)
	if len(errs) > 0 {
		return 0, errs
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		was := ""
		if p.ID == 0 {
			err = tx.QueryRow(ctx, insertPage, p.Kind, p.Slug, p.Title, p.Summary, p.Body, p.Places, p.StaffGroups,
				p.Tags, p.HeroImage, p.HeroAlt, p.Status, nullTime(p.PublishAt), now, nullID(userID)).Scan(&p.ID)
		} else if was, err = lockStatus(ctx, tx, p.ID); err == nil {
			_, err = tx.Exec(ctx, updatePage, p.ID, p.Kind, p.Slug, p.Title, p.Summary, p.Body, p.Places,
				p.StaffGroups, p.Tags, p.HeroImage, p.HeroAlt, p.Status, nullTime(p.PublishAt), now, nullID(userID))
		}
		if err != nil {
			return slugTaken(err)
		}
		if err := addRevision(ctx, tx, p, note, userID, now); err != nil {
			return err
		}
		if was == Published || p.Status == Published {
			return s.outbox.PagesChanged(ctx, tx, p.ID)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return p.ID, nil
}

// applyAction sets p's status and publish time from a, adds what is wrong
// with a to errs, and returns the note for the revision.
func applyAction(p *Page, a Action, now time.Time, errs ValidationError) (note string) {
	p.PublishAt = time.Time{}
	switch a.Kind {
	case ActionDraft:
		p.Status = Draft
		return "saved as draft"
	case ActionPublish:
		p.Status = Published
		return "published"
	case ActionUnpublish:
		p.Status = Unpublished
		return "unpublished"
	case ActionSchedule:
		switch {
		case a.At.IsZero():
			errs["publish_at"] = "Enter the date and time to publish the page"
		case !a.At.After(now):
			errs["publish_at"] = "The publish date must be in the future"
		}
		p.Status, p.PublishAt = Scheduled, a.At
		return "scheduled for " + a.At.In(ukTime).Format("2 January 2006 at 15:04")
	}
	errs["action"] = "Choose whether to save as a draft, publish now, schedule or unpublish"
	return ""
}

// insertPage takes the page's fields, status, publish time, now and the
// editor. A page published now was first published now.
const insertPage = `
	INSERT INTO pages (kind, slug, title, summary, body, places, staff_groups, tags, hero_image, hero_alt,
		status, publish_at, published_at, edited_at, created_by, updated_by, created_at, updated_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
		CASE WHEN $11::text = 'published' THEN $13::timestamptz END, $13, $14, $14, $13, $13)
	RETURNING id`

// updatePage takes the id, then as insertPage. published_at keeps the
// first time the page went live.
const updatePage = `
	UPDATE pages SET kind = $2, slug = $3, title = $4, summary = $5, body = $6, places = $7, staff_groups = $8,
		tags = $9, hero_image = $10, hero_alt = $11, status = $12, publish_at = $13,
		published_at = CASE WHEN $12::text = 'published' THEN coalesce(published_at, $14::timestamptz) ELSE published_at END,
		edited_at = $14, updated_at = $14, updated_by = $15
	WHERE id = $1`

// lockStatus locks page id for the rest of tx and returns its status.
func lockStatus(ctx context.Context, tx pgx.Tx, id int64) (status string, err error) {
	err = tx.QueryRow(ctx, `SELECT status FROM pages WHERE id = $1 FOR UPDATE`, id).Scan(&status)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	return status, err
}

// slugTaken turns the kind-and-slug unique violation into ErrSlugTaken;
// other errors pass through.
func slugTaken(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" && strings.Contains(pgErr.ConstraintName, "slug") {
		return ErrSlugTaken
	}
	return err
}

// PublishDue publishes every scheduled page whose time is at or before now,
// dated its scheduled time unless it was live before, and enqueues their
// sync. It returns their ids.
func (s *Store) PublishDue(ctx context.Context, now time.Time) (published []int64, err error) {
	defer wrap(&err, "publish scheduled pages")
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE pages SET status = 'published', published_at = coalesce(published_at, publish_at),
			publish_at = NULL, updated_at = $1 WHERE status = 'scheduled' AND publish_at <= $1 RETURNING id`, now)
		if err != nil {
			return err
		}
		if published, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return err
		}
		return s.outbox.PagesChanged(ctx, tx, published...)
	})
	return published, err
}
