package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/regionalcareers/portal/internal/jobs"
	"github.com/regionalcareers/portal/internal/outbox"
	"github.com/regionalcareers/portal/internal/partners"
	"github.com/regionalcareers/portal/internal/vacancies"
	vt "github.com/regionalcareers/portal/internal/vacancies/vacancytest"
	"github.com/regionalcareers/portal/search"
)

// The recruiter and admin consoles' writes reach search through the outbox
// and the real workers.

func TestConsole_PublishedRoleAppearsInSearchAndLeavesWhenClosed(t *testing.T) {
	w := startWorkers(t)
	ctx := context.Background()
	trust := vt.Partner(t, w.ps, "fen-valley-trust", partners.NHSTrust)
	recruiter := vt.User(t, w.pool)
	id, err := w.vs.Create(ctx, trust.ID, recruiter, vt.New(trust, vt.Title("Orthoptist")), vacancies.Action{Kind: vacancies.ActionPublish})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, w.client, "orthoptist", 1)
	if err := w.vs.Close(ctx, trust.ID, recruiter, id); err != nil {
		t.Fatal(err)
	}
	waitFor(t, w.client, "orthoptist", 0)
}

func TestPublishDue_ScheduledRoleReachesSearchWhenItsTimeComes(t *testing.T) {
	w := startWorkers(t)
	ctx := context.Background()
	trust := vt.Partner(t, w.ps, "fen-valley-trust", partners.NHSTrust)
	id, err := w.vs.Create(ctx, trust.ID, 0, vt.New(trust, vt.Title("Audiologist")),
		vacancies.Action{Kind: vacancies.ActionSchedule, At: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.worker.Insert(ctx, jobs.PublishDueArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	waitFor(t, w.client, "audiologist", 0)
	// The hour passes.
	if _, err := w.pool.Exec(ctx, `UPDATE vacancies SET publish_at = now() - interval '1 second' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := w.worker.Insert(ctx, jobs.PublishDueArgs{}, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, w.client, "audiologist", 1)
}

func TestSetActive_DeactivatedPartnersRolesLeaveSearchAndComeBack(t *testing.T) {
	w := startWorkers(t)
	ctx := context.Background()
	trust := vt.Partner(t, w.ps, "fen-valley-trust", partners.NHSTrust)
	care := vt.Partner(t, w.ps, "willow-care", partners.CareProvider)
	vt.Save(t, w.vs, vt.New(trust, vt.Title("Dietitian")), vt.New(trust, vt.Title("Dietitian assistant")),
		vt.New(care, vt.Title("Dietitian support")))
	waitFor(t, w.client, "dietitian", 3)
	if err := w.ps.SetActive(ctx, trust.ID, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, w.client, "dietitian", 1)
	if err := w.ps.SetActive(ctx, trust.ID, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, w.client, "dietitian", 3)
}

func TestSynonyms_AnAdminsEditReachesSearchThroughTheWorker(t *testing.T) {
	w := startWorkers(t)
	ctx := context.Background()
	trust := vt.Partner(t, w.ps, "fen-valley-trust", partners.NHSTrust)
	vt.Save(t, w.vs, vt.New(trust, vt.Title("Hospital porter")))
	waitFor(t, w.client, "porter", 1)
	waitFor(t, w.client, "orderly", 0)
	if err := w.synonyms.Replace(ctx, append(search.DefaultSynonyms(), []string{"porter", "orderly"})); err != nil {
		t.Fatal(err)
	}
	waitFor(t, w.client, "orderly", 1)
}

func TestRequestRebuild_RunsTheRebuildInTheBackground(t *testing.T) {
	w := startWorkers(t)
	ctx := context.Background()
	trust := vt.Partner(t, w.ps, "fen-valley-trust", partners.NHSTrust)
	saved := vt.Save(t, w.vs, vt.New(trust, vt.Title("Pharmacist")))
	waitFor(t, w.client, "pharmacist", 1)
	// A change the outbox never heard of (a restore, a manual fix).
	if _, err := w.pool.Exec(ctx, `UPDATE vacancies SET title = 'Pharmacy technician' WHERE id = $1`, saved[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := w.outbox.RequestRebuild(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, w.client, "technician", 1)
}

func TestRequestRebuild_OneAtATime(t *testing.T) {
	pool, _, _ := vt.Stores(t)
	ob, err := outbox.NewInsertOnly(pool)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := ob.RequestRebuild(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'search_rebuild_index'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d rebuild jobs (%v), want 1", n, err)
	}
}
