package site

import (
	"errors"
	"net/http"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/regionalcareers/portal/internal/audit"
	"github.com/regionalcareers/portal/internal/feeds"
)

// feedRow is a feed as the admin pages show it.
type feedRow struct {
	feeds.Feed
	Schedule string // "every hour"
	Problem  string // why it needs attention; "" when healthy
}

type adminFeedsPage struct {
	adminBase
	Feeds []feedRow
}

// feedProblem is a feed that needs attention, and why.
type feedProblem struct {
	FeedID  int64
	Partner string // its name
	Problem string // a sentence: "Last run failed: ..."
}

// feedProblems maps feed ids to why they need attention.
func (s *Server) feedProblems(c echo.Context) (map[int64]string, error) {
	list, err := s.Feeds.Unhealthy(c.Request().Context(), s.Now())
	if err != nil {
		return nil, err
	}
	problems := make(map[int64]string, len(list))
	for _, h := range list {
		problems[h.FeedID] = sentence(h.Problem)
	}
	return problems, nil
}

// sentence starts s with a capital letter.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func (s *Server) adminFeeds(c echo.Context) error {
	list, err := s.Feeds.List(c.Request().Context())
	if err != nil {
		return err
	}
	problems, err := s.feedProblems(c)
	if err != nil {
		return err
	}
	page := adminFeedsPage{adminBase: s.adminBase(c, "Feeds", "feeds")}
	for _, f := range list {
		page.Feeds = append(page.Feeds, feedRow{Feed: f, Schedule: every(f.Every), Problem: problems[f.ID]})
	}
	return s.render.render(c, http.StatusOK, "admin-feeds", page)
}

// adminFeedPage is one feed's recent runs and what the latest complete
// run rejected.
type adminFeedPage struct {
	adminBase
	Feed       feedRow
	Runs       []feeds.Run
	RejectedBy *feeds.Run // the run the rejections come from
	Rejections []feeds.Rejection
}

const adminFeedRuns = 20

func (s *Server) adminFeed(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f, err := s.Feeds.Get(ctx, id)
	if errors.Is(err, feeds.ErrNotFound) {
		return echo.ErrNotFound
	} else if err != nil {
		return err
	}
	problems, err := s.feedProblems(c)
	if err != nil {
		return err
	}
	page := adminFeedPage{adminBase: s.adminBase(c, "Feed of "+f.PartnerName, "feeds"),
		Feed: feedRow{Feed: f, Schedule: every(f.Every), Problem: problems[f.ID]}}
	if page.Runs, err = s.Feeds.Runs(ctx, id, adminFeedRuns); err != nil {
		return err
	}
	// Rejections are recorded by runs that read the document through.
	for i, r := range page.Runs {
		if r.Status == "succeeded" {
			page.RejectedBy = &page.Runs[i]
			break
		}
	}
	if page.RejectedBy != nil && page.RejectedBy.Rejected > 0 {
		if page.Rejections, err = s.Feeds.Rejections(ctx, page.RejectedBy.ID); err != nil {
			return err
		}
	}
	return s.render.render(c, http.StatusOK, "admin-feed", page)
}

// every says how often a feed is pulled: "every hour", "every 30 minutes".
func every(d time.Duration) string {
	switch {
	case d <= 0:
		return ""
	case d%(24*time.Hour) == 0:
		return countEvery(int(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return countEvery(int(d/time.Hour), "hour")
	case d%time.Minute == 0:
		return countEvery(int(d/time.Minute), "minute")
	}
	return "every " + d.String()
}

func countEvery(n int, unit string) string {
	if n == 1 {
		return "every " + unit
	}
	return "every " + strconv.Itoa(n) + " " + unit + "s"
}

// adminRunFeed asks the workers to pull a feed now instead of at its next
// turn; the page's runs table shows how it went.
func (s *Server) adminRunFeed(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	f, err := s.Feeds.Get(ctx, id)
	if errors.Is(err, feeds.ErrNotFound) {
		return echo.ErrNotFound
	} else if err != nil {
		return err
	}
	if err := s.Outbox.RequestFeedRun(ctx, f.ID); err != nil {
		return err
	}
	if err := s.recordAudit(c, audit.Entry{Action: "feed.run", TargetType: "feed", TargetID: itoa64(f.ID), PartnerID: f.PartnerID}); err != nil {
		return err
	}
	return s.redirectWithFlash(c, "/admin/feeds/"+itoa64(f.ID), "The feed will be pulled within a minute. Reload this page to see the run.")
}
