package alerts_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/jobs"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

// TestAlertJobs_TheScheduledRunMailsEveryDueAlert runs the real River
// workers: the periodic job finds the due alert and its send job mails it.
func TestAlertJobs_TheScheduledRunMailsEveryDueAlert(t *testing.T) {
	f := newDigests(t)
	to := inbox("digest.river")
	f.post(t, vt.New(f.trust, vt.Title("Paramedic")))
	f.subscribe(t, to, "q=paramedic")

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	worker, err := jobs.NewClient(f.pool, jobs.Deps{Vacancies: f.vs, Syncer: search.NewSyncer(f.client, f.vs), Logger: logger,
		Feeds: feeds.NewRunner(f.pool, f.vs, geo.Default(), logger), Alerts: f.digests})
	must(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); _ = worker.Stop(context.Background()) })
	must(t, worker.Start(ctx)) // the alerts job runs on start, and again on request
	_, err = worker.Insert(ctx, jobs.AlertsDueArgs{}, nil)
	must(t, err)
	if got := f.mail.WaitFor(t, to, "1 new job: Paramedic jobs"); !strings.Contains(got.Text, "Paramedic") {
		t.Errorf("digest:\n%s", got.Text)
	}
	if n := f.mail.Count(t, to); n != 1 {
		t.Errorf("%d e-mails, want 1: two runs must not send the same role twice", n)
	}
}
