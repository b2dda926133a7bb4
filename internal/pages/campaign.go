package pages

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Campaign events: counted per campaign, UK day and source, and nothing
// else. No address, cookie or user is kept, so the counts hold no personal
// data and need no consent.
const (
	EventVisit       = "visit"        // the campaign's landing page was seen
	EventVacancyView = "vacancy-view" // a vacancy was seen by someone who came through the campaign
	EventApplyClick  = "apply-click"  // they went on to apply
)

const maxSource = 60

// CountCampaign adds one event to today's count for campaign (a campaign
// page's slug) from source (utm_source: lower-cased, and anything but
// letters, digits, dots, hyphens and underscores dropped). A campaign or
// event that cannot be counted is a ValidationError.
func (s *Store) CountCampaign(ctx context.Context, campaign, event, source string) (err error) {
	defer wrap(&err, "count %s for campaign %q", event, campaign)
	errs := ValidationError{}
	if !slugPattern.MatchString(campaign) || len(campaign) > maxSlug {
		errs["campaign"] = "Not a campaign"
	}
	if event != EventVisit && event != EventVacancyView && event != EventApplyClick {
		errs["event"] = "Not a campaign event"
	}
	if len(errs) > 0 {
		return errs
	}
	_, err = s.pool.Exec(ctx, `INSERT INTO campaign_events (campaign, day, event, source, count) VALUES ($1, $2, $3, $4, 1)
		ON CONFLICT (campaign, day, event, source) DO UPDATE SET count = campaign_events.count + 1`,
		campaign, ukDate(s.now()), event, CleanSource(source))
	return err
}

// CleanSource is source as it is counted: trimmed, lower case, only
// [a-z0-9._-], at most 60 characters.
func CleanSource(source string) string {
	source = strings.ToLower(strings.TrimSpace(source))
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
			return r
		}
		return -1
	}, source)
	return clean[:min(len(clean), maxSource)]
}

// ukDate is the UK calendar day t falls on, as a date.
func ukDate(t time.Time) time.Time {
	y, m, d := t.In(ukTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// CampaignRow is one campaign's counts over a report's days.
type CampaignRow struct {
	Campaign, Title                   string // Title is "" for a slug with events but no page
	Visits, VacancyViews, ApplyClicks int
	Sources                           []SourceCount // by visits, most first
}

// SourceCount is a campaign's counts from one source ("" when none was
// given).
type SourceCount struct {
	Source                            string
	Visits, VacancyViews, ApplyClicks int
}

// CampaignReport counts events from the UK day of from to the UK day of
// to, both included, for every campaign page (in any status, so a new one
// shows with nothing yet) and every campaign slug with events, most
// visited first.
func (s *Store) CampaignReport(ctx context.Context, from, to time.Time) (report []CampaignRow, err error) {
	defer wrap(&err, "campaign report")
	byCampaign := map[string]*CampaignRow{}
	row := func(campaign string) *CampaignRow {
		if byCampaign[campaign] == nil {
			byCampaign[campaign] = &CampaignRow{Campaign: campaign}
		}
		return byCampaign[campaign]
	}
	var slug, title string
	rows, err := s.pool.Query(ctx, `SELECT slug, title FROM pages WHERE kind = 'campaign'`)
	if err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&slug, &title}, func() error {
		row(slug).Title = title
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read campaign pages: %w", err)
	}
	var sc SourceCount
	rows, err = s.pool.Query(ctx, `SELECT campaign, source,
			coalesce(sum(count) FILTER (WHERE event = 'visit'), 0),
			coalesce(sum(count) FILTER (WHERE event = 'vacancy-view'), 0),
			coalesce(sum(count) FILTER (WHERE event = 'apply-click'), 0)
		FROM campaign_events WHERE day BETWEEN $1 AND $2 GROUP BY campaign, source`, ukDate(from), ukDate(to))
	if err != nil {
		return nil, err
	}
	if _, err := pgx.ForEachRow(rows, []any{&slug, &sc.Source, &sc.Visits, &sc.VacancyViews, &sc.ApplyClicks}, func() error {
		r := row(slug)
		r.Visits, r.VacancyViews, r.ApplyClicks = r.Visits+sc.Visits, r.VacancyViews+sc.VacancyViews, r.ApplyClicks+sc.ApplyClicks
		r.Sources = append(r.Sources, sc)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read counts: %w", err)
	}
	for _, r := range byCampaign {
		slices.SortFunc(r.Sources, func(a, b SourceCount) int {
			return cmp.Or(cmp.Compare(b.Visits, a.Visits), cmp.Compare(b.ApplyClicks, a.ApplyClicks), cmp.Compare(a.Source, b.Source))
		})
		report = append(report, *r)
	}
	slices.SortFunc(report, func(a, b CampaignRow) int {
		return cmp.Or(cmp.Compare(b.Visits, a.Visits), cmp.Compare(b.ApplyClicks, a.ApplyClicks), cmp.Compare(a.Campaign, b.Campaign))
	})
	return report, nil
}
