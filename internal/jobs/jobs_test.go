package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"

	"github.com/regionalcareers/portal/internal/feeds"
	"github.com/regionalcareers/portal/internal/geo"
	"github.com/regionalcareers/portal/internal/jobs"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/synonyms"
	"github.com/regionalcareers/portal/internal/testenv"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

// TestOutbox_SavedVacancyReachesSearchThroughTheWorker runs the real River
// workers: a save commits a sync job with it, and the worker indexes it.
func TestOutbox_SavedVacancyReachesSearchThroughTheWorker(t *testing.T) {
	w := startWorkers(t)
	pool, ps, vs, client, worker, ctx := w.pool, w.ps, w.vs, w.client, w.worker, context.Background()

	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	saved := vt.Save(t, vs, vt.New(trust, vt.Title("Occupational therapist")), vt.New(trust, vt.Title("Dietitian"), vt.Closing(3)))
	waitFor(t, client, "occupational therapist", 1)
	waitFor(t, client, "dietitian", 1)

	// Days pass: the dietitian's closing date is now behind us. The hourly
	// job closes it, and the outbox takes it out of search.
	if _, err := pool.Exec(ctx, `UPDATE vacancies SET closing_on = current_date - 1, posted_on = current_date - 10 WHERE id = $1`, saved[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := worker.Insert(ctx, jobs.CloseExpiredArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, client, "dietitian", 0)
	got, err := vs.Get(ctx, saved[1].ID)
	if err != nil || got.Status != vacancies.Closed {
		t.Errorf("dietitian status %q (%v), want closed", got.Status, err)
	}
	waitFor(t, client, "occupational therapist", 1)
}

func waitFor(t *testing.T, client *search.Client, q string, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := client.Vacancies(context.Background(), search.VacancyQuery{Q: q, Page: 1})
		if err == nil && res.Total == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("search for %q: %d results (err %v), want %d", q, res.Total, err, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestNeedsReconcile_WhenTheIndexLostDocuments(t *testing.T) {
	_, ps, vs := vt.Stores(t)
	client := search.New(testenv.ConfigForTest(t))
	if err := client.EnsureVacancyIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	deps := jobs.Deps{Vacancies: vs, Syncer: search.NewSyncer(client, vs)}
	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	saved := vt.Save(t, vs, vt.New(trust), vt.New(trust))
	if stale, err := jobs.NeedsReconcile(context.Background(), deps, client); err != nil || !stale {
		t.Fatalf("empty index, two live roles: stale=%v err=%v, want stale", stale, err)
	}
	if err := deps.Syncer.Sync(context.Background(), []int64{saved[0].ID, saved[1].ID}); err != nil {
		t.Fatal(err)
	}
	if stale, err := jobs.NeedsReconcile(context.Background(), deps, client); err != nil || stale {
		t.Errorf("after sync: stale=%v err=%v, want in step", stale, err)
	}
}

// TestFeedsDue_PullsEveryFeedWhoseIntervalHasPassed runs the scheduler job
// and the feed worker for real, on a file:// feed.
func TestFeedsDue_PullsEveryFeedWhoseIntervalHasPassed(t *testing.T) {
	w := startWorkers(t)
	ps, client, runner, worker, ctx := w.ps, w.client, w.runner, w.worker, context.Background()

	trust := vt.Partner(t, ps, "fen-valley-trust", partners.NHSTrust)
	path := filepath.Join(t.TempDir(), "jobs.xml")
	doc := `<source><job><title>Podiatrist</title><referencenumber>P1</referencenumber><url>https://fv.example/P1</url>
<city>March</city><description><![CDATA[<p>Foot health clinics across the Fens, with a friendly team.</p>]]></description>
<salary>Band 6</salary><category>Allied Health Professionals</category><expirationdate>` +
		vt.Today.AddDate(0, 0, 10).Format("2006-01-02") + `</expirationdate></job></source>`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Feeds.Add(ctx, feeds.Feed{PartnerID: trust.ID, URL: "file://" + path, Format: "indeed", Every: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := worker.Insert(ctx, jobs.FeedsDueArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, client, "podiatrist", 1)
}

type workers struct {
	pool     *pgxpool.Pool
	ps       *partners.Store
	vs       *vacancies.Store
	client   *search.Client
	runner   *feeds.Runner
	worker   *river.Client[pgx.Tx]
	synonyms *synonyms.Store
	outbox   *outbox.Outbox
}

// startWorkers runs the real River workers over empty tables and an index
// of the test's own, and stops them when the test ends.
func startWorkers(t *testing.T) workers {
	t.Helper()
	pool, ps, vs := vt.Stores(t)
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	// As serve does: the index takes the stored synonyms, seeded with the defaults.
	syn := synonyms.NewStore(pool, ob)
	if _, err := pool.Exec(context.Background(), `TRUNCATE search_synonyms`); err != nil {
		t.Fatal(err)
	}
	if err := syn.EnsureDefaults(context.Background(), search.DefaultSynonyms()); err != nil {
		t.Fatal(err)
	}
	client := search.New(testenv.ConfigForTest(t))
	client.SetSynonymSource(syn.Groups)
	if err := client.EnsureVacancyIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	runner := feeds.NewRunner(pool, vs, geo.Default(), logger)
	worker, err := jobs.NewClient(pool, jobs.Deps{Vacancies: vs, Syncer: search.NewSyncer(client, vs), Feeds: runner, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := worker.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = worker.Stop(context.Background()) })
	return workers{pool, ps, vs, client, runner, worker, syn, ob}
}
