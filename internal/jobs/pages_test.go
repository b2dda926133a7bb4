package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/regionalcareers/portal/internal/jobs"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/pages"
	"github.com/regionalcareers/portal/internal/testenv"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

type pageWorkers struct {
	pool   *pgxpool.Pool
	pages  *pages.Store
	client *search.Client
	worker *river.Client[pgx.Tx]
}

// startPageWorkers runs the real River workers with pages wired in, as
// serve does, over empty tables and indexes of the test's own.
func startPageWorkers(t *testing.T) pageWorkers {
	t.Helper()
	pool, _, vs := vt.Stores(t)
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	store := pages.NewStore(pool, ob)
	client := search.New(testenv.ConfigForTest(t))
	ctx := context.Background()
	if err := client.EnsureVacancyIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if err := client.EnsurePagesIndex(ctx); err != nil {
		t.Fatal(err)
	}
	worker, err := jobs.NewClient(pool, jobs.Deps{
		Vacancies: vs, Syncer: search.NewSyncer(client, vs), Pages: store, PageSyncer: search.NewPageSyncer(client, store),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	if err := worker.Start(runCtx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = worker.Stop(context.Background()) })
	return pageWorkers{pool, store, client, worker}
}

func waitForPages(t *testing.T, client *search.Client, q string, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := client.SearchAll(context.Background(), q, 10, 0)
		if err == nil && res.Pages.Total == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("site search for %q: %d pages (err %v), want %d", q, res.Pages.Total, err, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func guide(slug, title string) pages.Page {
	return pages.Page{Kind: pages.AreaGuide, Slug: slug, Title: title, Summary: "What it is like to live here.", Body: "Fens and big skies."}
}

func TestOutbox_PublishedPageReachesSearchThroughTheWorker(t *testing.T) {
	w := startPageWorkers(t)
	ctx := context.Background()
	id, err := w.pages.Save(ctx, 0, guide("wisbech", "Living in Wisbech"), pages.Action{Kind: pages.ActionPublish})
	if err != nil {
		t.Fatal(err)
	}
	waitForPages(t, w.client, "wisbech", 1)
	p, err := w.pages.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.pages.Save(ctx, 0, p, pages.Action{Kind: pages.ActionUnpublish}); err != nil {
		t.Fatal(err)
	}
	waitForPages(t, w.client, "wisbech", 0)
}

func TestPublishDuePages_ScheduledPageReachesSearchWhenItsTimeComes(t *testing.T) {
	w := startPageWorkers(t)
	ctx := context.Background()
	id, err := w.pages.Save(ctx, 0, guide("march", "Living in March"), pages.Action{Kind: pages.ActionSchedule, At: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.worker.Insert(ctx, jobs.PublishDuePagesArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	waitForPages(t, w.client, "march", 0)
	// The hour passes.
	if _, err := w.pool.Exec(ctx, `UPDATE pages SET publish_at = now() - interval '1 second' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := w.worker.Insert(ctx, jobs.PublishDuePagesArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	waitForPages(t, w.client, "march", 1)
}

func TestReconcile_RebuildsThePagesIndexToo(t *testing.T) {
	w := startPageWorkers(t)
	ctx := context.Background()
	// Written straight to PostgreSQL: no outbox job, so only a rebuild finds it.
	if _, err := w.pool.Exec(ctx, `INSERT INTO pages (kind, slug, title, summary, status, published_at)
		VALUES ('area-guide', 'chatteris', 'Living in Chatteris', 'Missed by the outbox.', 'published', now())`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	waitForPages(t, w.client, "chatteris", 0)
	if _, err := w.worker.Insert(ctx, jobs.ReconcileArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	waitForPages(t, w.client, "chatteris", 1)
}

func TestPartialDeps_WithoutPagesTheScheduleStillRuns(t *testing.T) {
	pool, _, vs := vt.Stores(t)
	client := search.New(testenv.ConfigForTest(t))
	worker, err := jobs.NewClient(pool, jobs.Deps{Vacancies: vs, Syncer: search.NewSyncer(client, vs),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := worker.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = worker.Stop(context.Background()) }()
	res, err := worker.Insert(ctx, jobs.PublishDuePagesArgs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		job, err := worker.JobGet(ctx, res.Job.ID)
		if err == nil && job.State == rivertype.JobStateCompleted {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("publish-due-pages without a pages store: %+v %v, want completed", job, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
